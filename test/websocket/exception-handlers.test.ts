/** `app.websocketExceptionHandler`: errors escaping a WebSocket route, ended the app's own way. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Path, WebSocketDisconnect, WebSocketException, silentLogger } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "./helpers.ts";

class RoomNotFound extends Error {
  constructor(readonly room: string) {
    super(`No room ${room}`);
  }
}
class Banned extends RoomNotFound {}

function chatApp(log: string[], logger = silentLogger) {
  const app = new App({ logger });
  const room = Depends({ room: Path(z.string()) }, function* ({ room }) {
    log.push(`open ${room}`);
    try {
      if (room === "missing") throw new RoomNotFound(room);
      yield room;
    } finally {
      log.push(`close ${room}`);
    }
  });
  app.websocket("/rooms/{room}", { params: { r: room } }, async ({ r }, ws) => {
    await ws.accept();
    const text = await ws.receiveText();
    if (text === "ban") throw new Banned(r);
    if (text === "boom") throw new Error("unexpected");
    await ws.sendText(`${r}: ${text}`);
  });
  return app;
}

describe("WebSocket exception handlers", () => {
  it("refuses the handshake with the handler's close code when a dependency fails before accept()", async () => {
    const log: string[] = [];
    const app = chatApp(log).websocketExceptionHandler(RoomNotFound, (ws, error) => ws.close(4404, `No room ${error.room}`));
    const error = await new TestClient(app).websocketConnect("/rooms/missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketDisconnect);
    expect(error).toMatchObject({ code: 4404, reason: "No room missing" });
    expect(log).toEqual(["open missing", "close missing"]);
  });

  it("runs after the dependencies' teardown, and lets the handler send a last message on an open socket", async () => {
    const log: string[] = [];
    const app = chatApp(log).websocketExceptionHandler(RoomNotFound, async (ws, error) => {
      log.push(`handler sees ${error.constructor.name}`);
      await ws.sendJson({ error: error.message });
      await ws.close(4403, "banned");
    });
    const ws = await new TestClient(app).websocketConnect("/rooms/lobby");
    await ws.sendText("ban");
    expect(await ws.receiveJson()).toEqual({ error: "No room lobby" });
    expect(await ws.closed).toEqual({ code: 4403, reason: "banned" });
    expect(log).toEqual(["open lobby", "close lobby", "handler sees Banned"]);
  });

  it("closes normally (1000) when the handler leaves the socket open", async () => {
    const app = chatApp([]).websocketExceptionHandler(Banned, () => {});
    const ws = await new TestClient(app).websocketConnect("/rooms/lobby");
    await ws.sendText("ban");
    expect(await ws.closed).toEqual({ code: 1000, reason: "" });
  });

  it("treats a handler that throws like the route throwing: a WebSocketException keeps its code, anything else is a logged 1011", async () => {
    const logger = collectingLogger();
    const app = chatApp([], logger)
      .websocketExceptionHandler(Banned, () => {
        throw new WebSocketException(4001, "go away");
      })
      .websocketExceptionHandler(Error, () => {
        throw new TypeError("the handler itself is broken");
      });
    const banned = await new TestClient(app).websocketConnect("/rooms/a");
    await banned.sendText("ban");
    expect(await banned.closed).toEqual({ code: 4001, reason: "go away" });
    expect(logger.errors).toHaveLength(0);
    const broken = await new TestClient(app).websocketConnect("/rooms/b");
    await broken.sendText("boom");
    expect((await broken.closed).code).toBe(1011);
    expect(logger.errors.map((e) => String(e.error))).toEqual(["TypeError: the handler itself is broken"]);
  });

  it("leaves errors without a handler to the defaults (1011, logged) and never sees a client's disconnect", async () => {
    const logger = collectingLogger();
    let calls = 0;
    const app = chatApp([], logger).websocketExceptionHandler(RoomNotFound, () => void calls++);
    const ws = await new TestClient(app).websocketConnect("/rooms/a");
    await ws.sendText("boom");
    expect((await ws.closed).code).toBe(1011);
    expect(logger.errors).toHaveLength(1);
    const gone = await new TestClient(app).websocketConnect("/rooms/b");
    await gone.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(0);
  });

  it("refuses what is not an error class or a function, saying what to pass", () => {
    const app = new App();
    expect(() => app.websocketExceptionHandler("RoomNotFound" as never, () => {})).toThrow(/must be an error class/);
    expect(() => app.websocketExceptionHandler(RoomNotFound, null as never)).toThrow(/handler function/);
  });
});
