/** MemoryBroadcaster and ConnectionManager on one process: rooms, automatic leave, slow clients. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { App, ConnectionManager, MemoryBroadcaster, Path, serve, silentLogger, type Server, type WebSocket } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { connect, until } from "../websocket/helpers.ts";

describe("MemoryBroadcaster", () => {
  it("delivers to every subscriber of a channel, and only while subscribed", async () => {
    const broadcaster = new MemoryBroadcaster();
    const got: string[] = [];
    const off1 = await broadcaster.subscribe("a", (m, ch) => got.push(`1:${ch}:${m}`));
    const off2 = await broadcaster.subscribe("a", (m) => got.push(`2:${m}`));
    await broadcaster.subscribe("b", (m) => got.push(`b:${m}`));
    await broadcaster.publish("a", "x");
    await off1();
    await broadcaster.publish("a", "y");
    await off2();
    await broadcaster.publish("a", "z");
    expect(got).toEqual(["1:a:x", "2:x", "2:y"]);
    expect(broadcaster.channels).toEqual(["b"]);
  });

  it("keeps delivering when a listener throws, and reports it", async () => {
    const errors: unknown[] = [];
    const broadcaster = new MemoryBroadcaster({ onError: (e) => errors.push(e) });
    const got: string[] = [];
    await broadcaster.subscribe("a", () => {
      throw new Error("bad listener");
    });
    await broadcaster.subscribe("a", (m) => got.push(m));
    await broadcaster.publish("a", "still delivered");
    expect(got).toEqual(["still delivered"]);
    expect(errors).toHaveLength(1);
  });
});

function roomsApp(manager: ConnectionManager): App {
  const app = new App({ logger: silentLogger });
  app.websocket("/rooms/{room}", { params: { room: Path() } }, async ({ room }, ws) => {
    await manager.connect(ws, room);
    for await (const text of ws.iterText()) {
      if (text.startsWith("all:")) await manager.broadcast(text.slice(4));
      else await manager.broadcast({ room, text }, { room });
    }
  });
  return app;
}

describe("ConnectionManager", () => {
  it("broadcasts to a room's members, or to everyone", async () => {
    const broadcaster = new MemoryBroadcaster();
    const manager = new ConnectionManager({ broadcaster });
    const client = new TestClient(roomsApp(manager));
    const a1 = await client.websocketConnect("/rooms/a");
    const a2 = await client.websocketConnect("/rooms/a");
    const b1 = await client.websocketConnect("/rooms/b");
    await until(() => manager.count() === 3 && manager.count("a") === 2);

    await a1.sendText("hello a");
    expect(await a1.receiveJson()).toEqual({ room: "a", text: "hello a" });
    expect(await a2.receiveJson()).toEqual({ room: "a", text: "hello a" });
    await b1.sendText("all:everyone");
    for (const ws of [a1, a2, b1]) expect(await ws.receiveText()).toBe("everyone");

    await a1.close();
    await a2.close();
    await until(() => manager.count("a") === 0 && broadcaster.channels.length === 2);
    expect([...broadcaster.channels].sort()).toEqual(["ws:*", "ws:b"]);
    await b1.close();
    await until(() => broadcaster.channels.length === 0);
  });

  it("lets sockets join and leave rooms explicitly", async () => {
    const manager = new ConnectionManager();
    const app = new App({ logger: silentLogger });
    const sockets: WebSocket[] = [];
    app.websocket("/ws", {}, async (_, ws) => {
      await manager.connect(ws);
      sockets.push(ws);
      await ws.closed;
    });
    const client = new TestClient(app);
    const ws = await client.websocketConnect("/ws");
    await until(() => sockets.length === 1);
    await manager.join(sockets[0]!, "news");
    expect(manager.roomsOf(sockets[0]!)).toEqual(["news"]);
    await manager.broadcast("breaking", { room: "news" });
    expect(await ws.receiveText()).toBe("breaking");
    await manager.leave(sockets[0]!, "news");
    await manager.broadcast("missed", { room: "news" });
    await manager.broadcast("for all");
    expect(await ws.receiveText()).toBe("for all");
    await manager.close();
    expect(manager.count()).toBe(0);
    await ws.close();
  });
});

describe("slow clients never hold up the others", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const policy of ["close", "drop"] as const) {
    it(`onSlow: "${policy}"`, async () => {
      const manager = new ConnectionManager({ maxBuffered: 256 * 1024, onSlow: policy });
      const app = new App({ logger: silentLogger });
      const sockets: WebSocket[] = [];
      app.websocket("/ws", {}, async (_, ws) => {
        await manager.connect(ws);
        sockets.push(ws);
        await ws.closed;
      });
      server = await serve(app, { port: 0, announce: false, handleSignals: false, gracefulTimeout: 500 });
      const base = server.url.replace("http", "ws");
      const slow = connect(`${base}/ws`);
      const fast = connect(`${base}/ws`);
      await Promise.all([slow.opened, fast.opened]);
      await until(() => manager.count() === 2);
      (slow.socket as unknown as { _socket: net.Socket })._socket.pause();
      const message = "z".repeat(32 * 1024);
      let received = 0;
      fast.socket.on("message", () => received++);
      // Paced by the fast client (it always has everything sent so far), while the paused one falls behind.
      for (let i = 1; i <= 400; i++) {
        await manager.broadcast(message);
        await until(() => received === i, 10_000, "the fast client got every message");
      }
      const slowSide = sockets.find((ws) => ws.bufferedAmount > 0 || ws.state !== "open");
      expect(slowSide).toBeDefined();
      if (policy === "close") expect(slowSide!.state).not.toBe("open");
      else expect(slowSide!.state).toBe("open");
      slow.socket.terminate();
      fast.socket.close();
    });
  }
});
