import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app, createApp, manager } from "../../examples/seed/37-websocket-broadcast.ts";
import { TestClient } from "../../src/testing/index.ts";
import { until } from "../websocket/helpers.ts";

let info: ReturnType<typeof vi.spyOn>;
beforeEach(() => (info = vi.spyOn(console, "info").mockImplementation(() => undefined)));
afterEach(() => info.mockRestore());

describe("seed example 37: broadcasting with a connection manager", () => {
  it("serves the chat page", async () => {
    const res = await new TestClient(app).get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain('new URL("/ws/" + clientId, location.href)');
  });

  it("echoes to the sender, broadcasts to everyone, and announces who left", async () => {
    const client = new TestClient(app);
    const alice = await client.websocketConnect("/ws/1");
    const bob = await client.websocketConnect("/ws/2");
    await until(() => manager.count() === 2);

    await alice.sendText("hi");
    expect(await alice.receiveText()).toBe("[You] hi");
    expect(await alice.receiveText()).toBe("[Client 1] hi");
    expect(await bob.receiveText()).toBe("[Client 1] hi");

    await bob.sendText("hello");
    expect(await bob.receiveText()).toBe("[You] hello");
    expect(await bob.receiveText()).toBe("[Client 2] hello");
    expect(await alice.receiveText()).toBe("[Client 2] hello");

    await alice.close();
    expect(await bob.receiveText()).toBe("[System] Client 1 left the chat");
    await until(() => manager.count() === 1);
    await bob.close();
    await until(() => manager.count() === 0);
  });

  it("refuses a client id that is not an integer with 1008", async () => {
    const { app: fresh } = createApp();
    await expect(new TestClient(fresh).websocketConnect("/ws/alice")).rejects.toMatchObject({ code: 1008 });
  });

  it("documents the chat channel and its path parameter in AsyncAPI", async () => {
    const doc = (await new TestClient(app).get("/asyncapi.json")).json();
    expect(doc.channels.websocket_endpoint).toMatchObject({ address: "/ws/{client_id}", parameters: { client_id: {} } });
  });
});
