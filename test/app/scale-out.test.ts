/**
 * Scale-out on PostgreSQL + Redis: two app instances (as two processes or hosts would be) share the database and
 * Redis — chat rooms, the live feed, rate limits and the cache span both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";
import { joinChat, openEvents } from "./streams.ts";

describe("two instances on PostgreSQL and Redis", () => {
  let place: Place;
  let a: Running;
  let b: Running;
  let clientA: Client;
  let clientB: Client;

  beforeAll(async () => {
    place = newPlace("postgres");
    a = await startApp(place, { login_rate_limit: 4 });
    b = await startApp(place, { login_rate_limit: 4 });
    clientA = new Client(a.url);
    clientB = new Client(b.url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropPlace(place);
  });

  it("carries chat messages between clients of different instances", async () => {
    const onA = await joinChat(a.url, "shared", "ann");
    const onB = await joinChat(b.url, "shared", "bob");
    await onA.waitFor("bob joined");
    onB.socket.send("across processes");
    expect(await onA.waitFor("across processes")).toMatchObject({ from: "bob", room: "shared" });
    await onA.close();
    await onB.close();
  });

  it("streams an item created on one instance to a subscriber of the other", async () => {
    const stream = await openEvents(`${b.url}/items/events`);
    await stream.waitFor((e) => e.comment === "subscribed", "the subscription");
    const token = await clientA.token("demo");
    const item = (await clientA.post("/items", { token, json: { name: "Made on A", price: 2 } })).body;
    const event = await stream.waitFor((e) => e.event === "item", "the item event on B");
    expect(JSON.parse(event.data!).id).toBe(item.id);
    stream.close();
  });

  it("shares the cache: filled through one instance, hit and invalidated through the other", async () => {
    const token = await clientA.token("demo");
    const item = (await clientA.post("/items", { token, json: { name: "Cached", price: 3 } })).body;
    expect((await clientA.get(`/items/${item.id}`)).headers.get("cache-status")).toBe("shop; fwd=miss");
    expect((await clientB.get(`/items/${item.id}`)).headers.get("cache-status")).toBe("shop; hit");
    await clientB.patch(`/items/${item.id}`, { token, json: { price: 4 } });
    const after = await clientA.get(`/items/${item.id}`);
    expect(after.headers.get("cache-status")).toBe("shop; fwd=miss");
    expect(after.body.price).toBe(4);
  });

  it("counts login attempts across instances (one Redis counter)", async () => {
    // Start from zero: the earlier tests logged in too.
    const redis = a.app.state.redis!;
    const counters = await redis.keys(`${place.redisPrefix}ratelimit:*`);
    if (counters.length > 0) await redis.del(...counters);
    const statuses: number[] = [];
    for (const client of [clientA, clientB, clientA, clientB, clientA]) {
      statuses.push((await client.post("/token", { form: { username: "demo", password: "wrong-pw" } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]); // the limit is 4 per minute per IP, in total
  });
});
