import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../examples/seed/36-websocket-basic.ts";
import { asyncapiDocument } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { until } from "../websocket/helpers.ts";

const client = new TestClient(app);
let info: ReturnType<typeof vi.spyOn>;
beforeEach(() => (info = vi.spyOn(console, "info").mockImplementation(() => undefined)));
afterEach(() => info.mockRestore());

describe("seed example 36: WebSocket echo", () => {
  it("GET / serves the HTML client, which connects to /ws on its own host", async () => {
    const res = await client.get("/");
    expect(res.status).toBe(200);
    expect(res.header("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text).toContain('new URL("/ws", location.href)');
    expect(res.text).toContain("<button>Send</button>");
  });

  it("echoes every text message until the client leaves", async () => {
    const ws = await client.websocketConnect("/ws");
    await ws.sendText("Hello Server");
    expect(await ws.receiveText()).toBe("Echo: Hello Server");
    await ws.sendText("again");
    expect(await ws.receiveText()).toBe("Echo: again");
    await ws.close();
    await until(() => info.mock.calls.some((call: unknown[]) => call[0] === "Client disconnected"));
    expect(info).toHaveBeenCalledWith("Received: Hello Server");
  });

  it("documents the route in AsyncAPI, served at /asyncapi.json", async () => {
    const res = await client.get("/asyncapi.json");
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({ asyncapi: "3.0.0", info: { title: "WebSocket echo" } });
    expect(doc.channels.websocket_endpoint).toMatchObject({ address: "/ws", summary: "Echo every text message" });
    expect(doc.servers.default).toEqual({ host: "testserver", protocol: "ws", description: "This server" });
    expect(asyncapiDocument(app).channels).toEqual(doc.channels);
  });
});
