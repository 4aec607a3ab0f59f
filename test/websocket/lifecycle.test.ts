/** The end of a connection: teardown of generator dependencies, errors, and nothing left behind. */
import { describe, expect, it } from "vitest";
import { App, Depends, WebSocketDisconnect } from "../../src/index.ts";
import { openSessions } from "../../src/websocket/upgrade.ts";
import { watchedSockets } from "../../src/websocket/heartbeat.ts";
import { TestClient } from "../../src/testing/index.ts";
import { activeTimers, collectingLogger, sleep, until } from "./helpers.ts";

/** A generator dependency that records its setup, its teardown, and the error thrown into it. */
function tracked() {
  const log: string[] = [];
  async function* resource() {
    log.push("setup");
    try {
      yield "resource";
      log.push("commit");
    } catch (error) {
      log.push(`rollback:${(error as Error).name}`);
      throw error;
    } finally {
      log.push("teardown");
    }
  }
  return { log, dep: Depends(resource) };
}

describe("generator dependencies are torn down when the connection ends", () => {
  it("after a normal close by the client", async () => {
    const { log, dep } = tracked();
    const app = new App();
    app.websocket("/ws", { params: { r: dep } }, async ({ r }, ws) => {
      await ws.accept();
      for await (const text of ws.iterText()) await ws.sendText(`${r}:${text}`);
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    await ws.sendText("a");
    expect(await ws.receiveText()).toBe("resource:a");
    expect(log).toEqual(["setup"]);
    await ws.close();
    await until(() => log.length === 3);
    expect(log).toEqual(["setup", "commit", "teardown"]);
  });

  it("with the WebSocketDisconnect thrown into them when the handler lets it escape", async () => {
    const { log, dep } = tracked();
    const app = new App();
    app.websocket("/ws", { params: { r: dep } }, async (_, ws) => {
      await ws.accept();
      for (;;) await ws.receiveText();
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    ws.terminate();
    await until(() => log.includes("teardown"));
    expect(log).toEqual(["setup", "rollback:WebSocketDisconnect", "teardown"]);
  });

  it("with the handler's error, which closes with 1011 and is logged once", async () => {
    const { log, dep } = tracked();
    const logger = collectingLogger();
    const app = new App({ logger });
    app.websocket("/ws", { params: { r: dep } }, async (_, ws) => {
      await ws.accept();
      await ws.receiveText();
      throw new Error("boom");
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    await ws.sendText("go");
    expect(await ws.closed).toEqual({ code: 1011, reason: "Internal Error" });
    expect(log).toEqual(["setup", "rollback:Error", "teardown"]);
    expect(logger.errors).toHaveLength(1);
    expect((logger.errors[0]!.error as Error).message).toBe("boom");
  });

  it("when the handshake is refused after the dependency ran (a later parameter was invalid)", async () => {
    const { log, dep } = tracked();
    const app = new App();
    const fails = Depends(() => {
      throw new WebSocketDisconnect(1000);
    });
    app.websocket("/ws", { params: { r: dep, f: fails } }, (_, ws) => ws.accept());
    const error = await new TestClient(app).websocketConnect("/ws").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
    await until(() => log.includes("teardown"));
  });

  it("and a failing teardown turns a normal end into 1011", async () => {
    const logger = collectingLogger();
    const app = new App({ logger });
    async function* flaky() {
      yield 1;
      throw new Error("commit failed");
    }
    app.websocket("/ws", { params: { f: Depends(flaky) } }, (_, ws) => ws.accept());
    const ws = await new TestClient(app).websocketConnect("/ws");
    expect((await ws.closed).code).toBe(1011);
    expect((logger.errors[0]?.error as Error).message).toBe("commit failed");
  });
});

describe("an abrupt disconnect mid-stream leaves nothing behind", () => {
  it("no session, no keep-alive timer, no abort listener, teardown done, producer stopped", async () => {
    const { log, dep } = tracked();
    const app = new App();
    let sent = 0;
    let aborted = false;
    app.websocket("/stream", { params: { r: dep }, pingInterval: 20 }, async (_, ws) => {
      await ws.accept();
      ws.signal.addEventListener("abort", () => (aborted = true), { once: true });
      // Streams until the client is gone: sendText rejects with WebSocketDisconnect, which ends the handler.
      for (;;) {
        await ws.sendText(`tick ${sent++}`);
        await sleep(2);
      }
    });
    const timersBefore = activeTimers();
    const ws = await new TestClient(app).websocketConnect("/stream");
    for (let i = 0; i < 5; i++) await ws.receiveText();
    expect(watchedSockets()).toBe(1);
    ws.terminate();
    await until(() => log.includes("teardown") && openSessions(app) === 0);
    expect(aborted).toBe(true);
    expect(watchedSockets()).toBe(0);
    const sentAtEnd = sent;
    await sleep(30);
    expect(sent).toBe(sentAtEnd);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("ws.closed and ws.signal report how the connection ended", async () => {
    const app = new App();
    const seen: unknown[] = [];
    app.websocket("/ws", {}, async (_, ws) => {
      await ws.accept();
      const closed = ws.closed;
      expect(ws.signal.aborted).toBe(false);
      seen.push(await closed, ws.signal.aborted, ws.state);
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    await ws.close(4001, "done");
    await until(() => seen.length === 3);
    expect(seen).toEqual([{ code: 4001, reason: "done" }, true, "closed"]);
  });

  it("runs background tasks after the connection ended", async () => {
    const app = new App();
    const order: string[] = [];
    const audit = Depends((_: Record<string, never>, ctx) => ctx.background);
    app.websocket("/ws", { params: { tasks: audit } }, async ({ tasks }, ws) => {
      tasks.add(() => void order.push("task"));
      await ws.accept();
      order.push("handler");
    });
    await (await new TestClient(app).websocketConnect("/ws")).closed;
    await until(() => order.length === 2);
    expect(order).toEqual(["handler", "task"]);
  });
});
