import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Path, serve, type Server, type ServeOptions } from "../../src/index.ts";
import { collectingLogger, sleep } from "./helpers.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(app: App, options: ServeOptions & { workers?: undefined } = {}): Promise<Server> {
  const server = await serve(app, { port: 0, handleSignals: false, announce: false, ...options });
  servers.push(server);
  return server;
}

/** Resolves when a slow handler has started: close() must come after the request is in flight, not before. */
let handlerStarted: () => void = () => undefined;
const nextHandlerStart = (): Promise<void> => new Promise((resolve) => (handlerStarted = resolve));

function demoApp(logger = collectingLogger()): App {
  const app = new App({ logger, limits: { bodySize: 1024 } });
  app.get("/ping", {}, () => ({ pong: true }));
  app.get("/slow/{ms}", { params: { ms: Path(z.int()) } }, async ({ ms }) => {
    handlerStarted();
    await sleep(ms);
    return { slept: ms };
  });
  app.post("/echo", { params: { data: Body(z.object({ text: z.string() })) } }, ({ data }) => data);
  return app;
}

/** GET with node:http; `agent: false` sends `Connection: close`, a keep-alive agent reuses its socket. */
function httpGet(url: string, agent: http.Agent | false = false): Promise<{ status: number; body: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
    });
    req.on("error", reject);
  });
}

/** Writes `text` on a fresh socket and resolves with everything the server sends until it closes the socket. */
function rawExchange(port: number, text: string | Buffer, { endWrite = false, timeoutMs = 3000 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    }, timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", (e) => (chunks.length > 0 ? undefined : reject(e)));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.write(text, () => (endWrite ? socket.end() : undefined));
  });
}

describe("serve()", () => {
  it("answers over HTTP and reports its URL", async () => {
    const logger = collectingLogger();
    const server = await start(demoApp(logger), { announce: true });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(logger.infos[0]).toContain(server.url);
    const res = await fetch(`${server.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true });
  });

  it("keeps connections alive between requests", async () => {
    const server = await start(demoApp());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await httpGet(`${server.url}/ping`, agent);
    const second = await httpGet(`${server.url}/ping`, agent);
    agent.destroy();
    expect(first).toEqual({ status: 200, reused: false, body: '{"pong":true}' });
    expect(second).toEqual({ status: 200, reused: true, body: '{"pong":true}' });
  });

  it("refuses a body over the limit with 413 (declared length) and keeps serving", async () => {
    const server = await start(demoApp());
    const head = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n`;
    const answer = await rawExchange(server.port, head + "x".repeat(64 * 1024));
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain("1024-byte limit");
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it("refuses a chunked body that grows past the limit with 413", async () => {
    const server = await start(demoApp());
    const chunk = "x".repeat(600);
    const chunked = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${(600).toString(16)}\r\n${chunk}\r\n`.repeat(4);
    const answer = await rawExchange(server.port, chunked);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it("answers 431 to a request head over maxHeaderSize", async () => {
    const server = await start(demoApp(), { maxHeaderSize: 8192 });
    const answer = await rawExchange(server.port, `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it("answers 400 to a malformed request line", async () => {
    const server = await start(demoApp());
    const answer = await rawExchange(server.port, "THIS IS NOT HTTP\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });

  it("close() lets an in-flight request finish, refuses new connections, then runs shutdown", async () => {
    const log: string[] = [];
    const app = new App({
      logger: collectingLogger(),
      lifespan: async function* () {
        log.push("startup");
        yield;
        log.push("shutdown");
      },
    });
    app.get("/slow", {}, async () => {
      handlerStarted();
      await sleep(150);
      log.push("handler done");
      return { done: true };
    });
    const server = await serve(app, { port: 0, handleSignals: false, announce: false });
    const started = nextHandlerStart();
    const inFlight = httpGet(`${server.url}/slow`);
    await started;
    const closed = server.close();
    expect(await inFlight).toMatchObject({ status: 200, body: '{"done":true}' });
    await closed;
    expect(log).toEqual(["startup", "handler done", "shutdown"]);
    await expect(httpGet(`${server.url}/slow`)).rejects.toThrow(/ECONNREFUSED/);
  });

  // Regression: a keep-alive connection whose request finished during the drain used to stay open until its
  // keep-alive timeout, so close() waited for the client (or for gracefulTimeout).
  it("close() does not wait for a keep-alive client once its in-flight request is done", async () => {
    const app = new App({ logger: collectingLogger() });
    app.get("/slow", {}, async () => (handlerStarted(), await sleep(100), "ok"));
    // keepAliveTimeout 1500 ms bounds how long this test would wait if the bug came back.
    const server = await serve(app, { port: 0, handleSignals: false, announce: false, keepAliveTimeout: 1500 });
    // A raw socket is a client that keeps its connection open as long as the server lets it (like a proxy).
    const socket = net.connect(server.port, "127.0.0.1");
    const answered = new Promise<string>((resolve) => socket.once("data", (c) => resolve(c.toString("latin1"))));
    const started = nextHandlerStart();
    socket.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    await started;
    const closed = server.close();
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);
    const finished = Date.now();
    await closed;
    socket.destroy();
    expect(Date.now() - finished).toBeLessThan(500);
  });

  it("close() cuts connections that outlive gracefulTimeout", async () => {
    const server = await serve(demoApp(), { port: 0, handleSignals: false, announce: false, gracefulTimeout: 50 });
    const started = nextHandlerStart();
    const stuck = httpGet(`${server.url}/slow/2000`).then((r) => r.status, () => "cut");
    await started;
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1500);
    expect(await stuck).toBe("cut");
  });
});
