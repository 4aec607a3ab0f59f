/** The same routes over a real server and the `ws` client: one port, close codes on the wire, keep-alive, shutdown. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Query, serve, silentLogger, type Server } from "../../src/index.ts";
import { watchedSockets } from "../../src/websocket/heartbeat.ts";
import { openSessions } from "../../src/websocket/upgrade.ts";
import { connect, sleep, until } from "./helpers.ts";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: App): Promise<string> {
  server = await serve(app, { port: 0, host: "127.0.0.1", announce: false, handleSignals: false, gracefulTimeout: 2000 });
  return server.url.replace("http://", "ws://");
}

function app(): App {
  const app = new App({ logger: silentLogger });
  app.get("/hello", {}, () => ({ hello: "http" }));
  app.websocket("/ws", { params: { token: Query(z.string()) }, maxMessageSize: 4096, subprotocols: ["chat"] }, async ({ token }, ws) => {
    await ws.accept();
    for await (const text of ws.iterText()) await ws.sendText(`${token}:${text}`);
  });
  return app;
}

describe("WebSockets on the app's own server", () => {
  it("serves HTTP and WebSockets on one port", async () => {
    const base = await start(app());
    const client = connect(`${base}/ws?token=t`, ["chat"]);
    await client.opened;
    expect(client.socket.protocol).toBe("chat");
    client.socket.send("hi");
    expect(await client.next()).toBe("t:hi");
    const res = await fetch(`${server!.url}/hello`);
    expect(await res.json()).toEqual({ hello: "http" });
    client.socket.close();
    expect((await client.closed).code).toBe(1005); // a close frame without a code, echoed
  });

  it("refuses invalid input with a close frame 1008 that browsers can see, even when subprotocols were offered", async () => {
    const base = await start(app());
    const client = connect(`${base}/ws`, ["chat", "other"]);
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain("query.token: Field required");
  });

  it("closes with 1009 on an oversized frame", async () => {
    const base = await start(app());
    const client = connect(`${base}/ws?token=t`);
    await client.opened;
    client.socket.send("x".repeat(4097));
    expect((await client.closed).code).toBe(1009);
  });

  it("answers plain HTTP errors to upgrades that cannot be served", async () => {
    const base = await start(app());
    expect(await connect(`${base}/missing`).refused).toBe(404);
    const raw = await rawUpgrade(server!.port, "GET /ws?token=t HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(raw).toContain("Sec-WebSocket-Key");
  });

  it("drops a peer that stops answering pings, and keeps the ones that answer", async () => {
    const a = new App({ logger: silentLogger });
    a.websocket("/ws", { pingInterval: 30 }, async (_, ws) => {
      await ws.accept();
      for await (const _ of ws);
    });
    const base = await start(a);
    const alive = connect(`${base}/ws`);
    const dead = connect(`${base}/ws`, [], { autoPong: false });
    await Promise.all([alive.opened, dead.opened]);
    expect((await dead.closed).code).toBe(1006);
    await sleep(100);
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
    alive.socket.close();
    await until(() => watchedSockets() === 0 && openSessions(a) === 0);
  });

  it("applies back-pressure: send…() waits while a slow client is not reading", async () => {
    const a = new App({ logger: silentLogger });
    let sent = 0;
    let done = false;
    a.websocket("/flood", { highWaterMark: 16 * 1024 }, async (_, ws) => {
      await ws.accept();
      const chunk = "x".repeat(16 * 1024);
      for (let i = 0; i < 500; i++) {
        await ws.sendText(chunk);
        sent++;
      }
      done = true;
    });
    const base = await start(a);
    const client = connect(`${base}/flood`);
    await client.opened;
    // Stop reading: the kernel buffers fill up, then the server's send buffer, then sendText() waits.
    (client.socket as unknown as { _socket: net.Socket })._socket.pause();
    await sleep(300);
    const stalledAt = sent;
    expect(stalledAt).toBeLessThan(500);
    await sleep(100);
    expect(sent).toBe(stalledAt);
    (client.socket as unknown as { _socket: net.Socket })._socket.resume();
    await until(() => done, 10_000, "all messages sent");
  });

  it("says goodbye with 1001 at shutdown", async () => {
    const base = await start(app());
    const client = connect(`${base}/ws?token=t`);
    await client.opened;
    const closing = server!.close();
    expect((await client.closed).code).toBe(1001);
    await closing;
    server = undefined;
  });
});

function rawUpgrade(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("close", () => resolve(data));
    socket.on("error", reject);
  });
}
