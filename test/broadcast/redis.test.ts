/** RedisBroadcaster: delivery between broadcaster instances (as between processes), subscriptions, shared clients. */
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { App, ConnectionManager, RedisBroadcaster, silentLogger } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { until } from "../websocket/helpers.ts";
import { REDIS_URL, requireRedis, uniquePrefix } from "./redis.ts";

beforeAll(requireRedis);

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

function broadcaster(prefix: string, client?: Redis): RedisBroadcaster {
  const b = client ? new RedisBroadcaster({ client, prefix }) : new RedisBroadcaster({ url: REDIS_URL, prefix });
  opened.push(b);
  return b;
}

describe("RedisBroadcaster", () => {
  it("carries a message published on one instance to the subscribers of every instance", async () => {
    const prefix = uniquePrefix();
    const [one, two] = [broadcaster(prefix), broadcaster(prefix)];
    const got: string[] = [];
    const offOne = await one.subscribe("room", (m) => got.push(`one:${m}`));
    await two.subscribe("room", (m, channel) => got.push(`two:${channel}:${m}`));
    await one.publish("room", "hello");
    await until(() => got.length === 2);
    expect(got.sort()).toEqual(["one:hello", "two:room:hello"]);
    await offOne();
    expect(one.channels).toEqual([]);
    await two.publish("room", "again");
    await until(() => got.length === 3);
    expect(got[2]).toBe("two:room:again");
  });

  it("keeps apps apart by prefix", async () => {
    const [mine, theirs] = [broadcaster(uniquePrefix()), broadcaster(uniquePrefix())];
    const got: string[] = [];
    await mine.subscribe("room", (m) => got.push(m));
    await theirs.publish("room", "not for you");
    await mine.publish("room", "for you");
    await until(() => got.length > 0);
    expect(got).toEqual(["for you"]);
  });

  it("shares a given client for publishing and leaves it open when closed", async () => {
    const client = new Redis(REDIS_URL);
    opened.push({ close: async () => void (await client.quit()) });
    const b = broadcaster(uniquePrefix(), client);
    const got: string[] = [];
    await b.subscribe("c", (m) => got.push(m));
    await b.publish("c", "via shared client");
    await until(() => got.length === 1);
    await b.close();
    expect(await client.ping()).toBe("PONG");
  });

  it("lets two apps' connection managers share one chat through Redis", async () => {
    const prefix = uniquePrefix();
    const apps = [0, 1].map(() => {
      const manager = new ConnectionManager({ broadcaster: broadcaster(prefix) });
      const app = new App({ logger: silentLogger });
      app.websocket("/ws", {}, async (_, ws) => {
        await manager.connect(ws);
        for await (const text of ws.iterText()) await manager.broadcast(text);
      });
      return new TestClient(app);
    });
    const a = await apps[0]!.websocketConnect("/ws");
    const b = await apps[1]!.websocketConnect("/ws");
    // A socket's subscription is live once its own probe comes back through Redis.
    const until = async (ws: typeof a, text: string): Promise<void> => {
      while ((await ws.receiveText()) !== text);
    };
    await a.sendText("probe a");
    await until(a, "probe a");
    await b.sendText("probe b");
    await until(b, "probe b");
    await a.sendText("hello from app 0");
    await until(b, "hello from app 0");
    await until(a, "hello from app 0");
    await a.close();
    await b.close();
  });
});
