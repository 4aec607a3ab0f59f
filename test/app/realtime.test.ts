/** The chat room (WebSockets) and the live item feed (Server-Sent Events), end to end on both configurations. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Client } from "./client.ts";
import { BACKENDS, dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";
import { joinChat, openEvents } from "./streams.ts";

describe.each(BACKENDS)("realtime on %s", (backend) => {
  let place: Place;
  let running: Running;
  let client: Client;

  beforeAll(async () => {
    place = newPlace(backend);
    running = await startApp(place);
    client = new Client(running.url);
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  it("serves the chat page", async () => {
    const page = await client.get("/chat");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.body).toContain('"" + "/chat/ws/"');
  });

  it("delivers a chat message to everyone in the room, and only in the room", async () => {
    const ann = await joinChat(running.url, "lobby", "ann");
    const bob = await joinChat(running.url, "lobby", "bob");
    const cid = await joinChat(running.url, "kitchen", "cid");
    await ann.waitFor("bob joined");
    ann.socket.send("hello, room");
    const atBob = await bob.waitFor("hello, room");
    expect(atBob).toMatchObject({ type: "message", room: "lobby", from: "ann", text: "hello, room" });
    await ann.waitFor("hello, room"); // the sender sees it too
    cid.socket.send("anyone?");
    await cid.waitFor("anyone?");
    expect(bob.received.some((m) => m.text === "anyone?")).toBe(false);
    await bob.close();
    await ann.waitFor("bob left");
    await ann.close();
    await cid.close();
  });

  it("refuses a bad room name or a missing name at the handshake", async () => {
    for (const path of ["/chat/ws/Not_Valid?name=x", "/chat/ws/lobby"]) {
      const socket = new WebSocket(`${running.url.replace("http", "ws")}${path}`);
      const code = await new Promise<number>((resolve) => socket.once("close", (c) => resolve(c)));
      expect(code).toBe(1008);
    }
  });

  it("streams each new item to subscribers, after its commit", async () => {
    const token = await client.token("demo");
    const stream = await openEvents(`${running.url}/items/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    await stream.waitFor((e) => e.comment === "subscribed", "the subscription");
    // Refused and rolled back: never announced.
    expect((await client.post("/items", { token, json: { name: "", price: 1 } })).status).toBe(422);
    const created = (await client.post("/items", { token, json: { name: "Fresh bread", price: 3.2 } })).body;
    const event = await stream.waitFor((e) => e.event === "item", "the item event");
    expect(event.id).toBe(String(created.id));
    expect(JSON.parse(event.data!)).toEqual(created);
    expect(stream.events.filter((e) => e.event === "item")).toHaveLength(1);
    stream.close();
  });

  it("replays what a reconnecting client missed (Last-Event-ID)", async () => {
    const token = await client.token("demo");
    const seen = (await client.post("/items", { token, json: { name: "Seen", price: 1 } })).body;
    const missed: Array<{ id: number }> = [];
    for (const name of ["Missed 1", "Missed 2"]) missed.push((await client.post("/items", { token, json: { name, price: 2 } })).body);
    const stream = await openEvents(`${running.url}/items/events`, { "last-event-id": String(seen.id) });
    await stream.waitFor((e) => e.id === String(missed[1].id), "the replayed items");
    expect(stream.events.filter((e) => e.event === "item").map((e) => JSON.parse(e.data!).name)).toEqual(["Missed 1", "Missed 2"]);
    stream.close();
  });
});
