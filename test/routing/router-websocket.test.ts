/** WebSocket routes declared on a Router: prefixes and dependencies compose as they do for HTTP routes. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Header, HTTPException, Path, Router, TypefastError, WebSocketDisconnect, silentLogger } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("Router.websocket", () => {
  it("registers under the router's and the include's prefixes, with their dependencies run before accept()", async () => {
    const calls: string[] = [];
    const member = Depends({ x_member: Header(z.string()) }, ({ x_member }) => {
      calls.push(`member ${x_member}`);
      if (x_member !== "yes") throw new HTTPException(403, "Members only");
    });
    const audit = Depends(() => void calls.push("audit"));
    const chat = new Router({ prefix: "/chat", dependencies: [member] });
    chat.websocket("/{room}", { params: { room: Path(z.string()) } }, async ({ room }, ws) => {
      await ws.accept();
      await ws.sendText(`joined ${room}`);
    });
    const api = new Router({ prefix: "/api" });
    api.includeRouter(chat, { dependencies: [audit] });
    const app = new App({ logger: silentLogger }).includeRouter(api, { prefix: "/v1" });

    expect(app.websocketRoutes.map((r) => r.path)).toEqual(["/v1/api/chat/{room}"]);
    const client = new TestClient(app);
    const ws = await client.websocketConnect("/v1/api/chat/lobby", { headers: { "x-member": "yes" } });
    expect(await ws.receiveText()).toBe("joined lobby");
    expect(calls).toEqual(["audit", "member yes"]);

    const refused = await client.websocketConnect("/v1/api/chat/lobby", { headers: { "x-member": "no" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WebSocketDisconnect);
    expect((refused as WebSocketDisconnect).code).toBe(1008);
  });

  it("documents router WebSocket routes in the AsyncAPI document", async () => {
    const events = new Router({ prefix: "/events" });
    events.websocket("/live", { summary: "Live events" }, async (_, ws) => void (await ws.accept()));
    const app = new App().includeRouter(events);
    const doc = (await new TestClient(app).get("/asyncapi.json")).json();
    expect(JSON.stringify(doc.channels)).toContain("/events/live");
  });

  it("refuses a malformed path where it is declared", () => {
    const router = new Router();
    expect(() => router.websocket("ws", {}, async () => {})).toThrow(TypefastError);
    expect(() => router.websocket("/rooms/{room", {}, async () => {})).toThrow(/TF_ROUTE_PATH|Invalid route path/);
  });
});
