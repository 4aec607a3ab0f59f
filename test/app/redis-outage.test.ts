/**
 * Redis going away under a running app (a TCP proxy in front of the real Redis is cut, then restored): reads keep
 * working without the cache, readiness reports the outage, rate-limited routes refuse with 503 instead of
 * guessing, and everything recovers when Redis is back.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";
import { until } from "./streams.ts";

/** A TCP proxy to 127.0.0.1:6379 that can be cut (every connection dropped, port closed) and restored. */
class RedisProxy {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  port = 0;

  async open(): Promise<void> {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(6379, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.once("close", () => this.#sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.#server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.#server!.close(resolve));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

describe("a Redis outage on PostgreSQL + Redis", () => {
  let place: Place;
  let running: Running;
  let client: Client;
  const proxy = new RedisProxy();

  beforeAll(async () => {
    await proxy.open();
    place = newPlace("postgres");
    running = await startApp(place, { redis_url: `redis://127.0.0.1:${proxy.port}` });
    client = new Client(running.url);
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  it("degrades, then recovers", async () => {
    const token = await client.token("demo");
    const item = (await client.post("/items", { token, json: { name: "Survivor", price: 1 } })).body;
    expect((await client.get(`/items/${item.id}`)).headers.get("cache-status")).toBe("shop; fwd=miss");

    await proxy.cut();
    const read = await client.get(`/items/${item.id}`);
    expect(read.status).toBe(200); // from the database, the cache being unreachable
    expect(read.body.name).toBe("Survivor");
    const ready = await client.get("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ database: true, redis: false });
    const write = await client.post("/items", { token, json: { name: "Unlimited?", price: 1 } });
    expect(write.status).toBe(503);
    expect(write.body.error_code).toBe("RATE_LIMIT_UNAVAILABLE");
    expect(write.headers.get("retry-after")).toBe("5");
    expect(running.logs.some((l) => l.level === "warn" && /Cache read failed/.test(l.msg))).toBe(true);

    await proxy.open(); // same port: ioredis reconnects on its own
    await until(() => running.app.state.redis!.status === "ready", "Redis to reconnect", 15_000);
    expect((await client.get("/health/ready")).status).toBe(200);
    expect((await client.post("/items", { token, json: { name: "Back", price: 1 } })).status).toBe(201);
  }, 60_000);
});
