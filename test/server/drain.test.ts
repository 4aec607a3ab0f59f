/**
 * The drain of `close()` (SIGTERM) on keep-alive connections: no request a client sends is cut. Responses written
 * once the drain began say `Connection: close`; a connection idle when it began still answers a request that comes
 * soon after, and one that stays silent is closed shortly.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { App, serve, silentLogger, type Server } from "../../src/index.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(): Promise<Server> {
  const app = new App({ logger: silentLogger });
  app.get("/ping", {}, () => ({ pong: true }));
  app.get("/slow", {}, async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { slow: true };
  });
  const server = await serve(app, { port: 0, host: "127.0.0.1", handleSignals: false, announce: false });
  servers.push(server);
  return server;
}

/** A raw keep-alive client: send a request, read one whole response (they are small, one `data` event each). */
function connect(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  const received: string[] = [];
  let waiting: ((text: string) => void) | undefined;
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    if (waiting) {
      const deliver = waiting;
      waiting = undefined;
      deliver(chunk);
    } else received.push(chunk);
  });
  const closed = new Promise<number>((resolve) =>
    socket.on("close", () => {
      waiting?.(""); // closed without an answer: the request was lost
      resolve(Date.now());
    }),
  );
  socket.on("error", () => undefined); // a reset shows up as a missing answer
  return {
    closed,
    ask(path: string): Promise<string> {
      const answer = new Promise<string>((resolve) => (received.length > 0 ? resolve(received.shift()!) : (waiting = resolve)));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
      return answer;
    },
    destroy: () => socket.destroy(),
  };
}

describe("close() on keep-alive connections", () => {
  it("answers a request in flight with Connection: close, then closes that connection", async () => {
    const server = await start();
    const client = connect(server.port);
    expect(await client.ask("/ping")).toMatch(/connection: keep-alive/i);
    const slow = client.ask("/slow");
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is in flight
    const closing = server.close();
    const answer = await slow;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/connection: close/i);
    const answeredAt = Date.now();
    expect((await client.closed) - answeredAt).toBeLessThan(100);
    await closing;
  });

  it("still answers a request sent on an idle connection shortly after the drain began, with Connection: close", async () => {
    const server = await start();
    const client = connect(server.port);
    expect(await client.ask("/ping")).toMatch(/^HTTP\/1\.1 200 /);
    const closing = server.close(); // the connection is idle now
    await new Promise((resolve) => setTimeout(resolve, 50));
    const answer = await client.ask("/ping");
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/connection: close/i);
    await client.closed;
    await closing;
  });

  it("closes a connection that stays idle soon after the drain began, without waiting for the keep-alive timeout", async () => {
    const server = await start();
    const client = connect(server.port);
    await client.ask("/ping");
    const began = Date.now();
    await server.close();
    expect((await client.closed) - began).toBeLessThan(1000);
    expect(Date.now() - began).toBeLessThan(1000);
  });
});
