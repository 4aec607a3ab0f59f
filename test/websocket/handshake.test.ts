/** Before `accept()`: parameters, dependencies and security resolved first; refusals and routing. */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { App, Cookie, Depends, Header, Path, Query, WebSocketException, Body, silentLogger, TypefastError } from "../../src/index.ts";
import { HTTPBearer, type HTTPAuthorizationCredentials } from "../../src/security/index.ts";
import { TestClient, WebSocketHandshakeError } from "../../src/testing/index.ts";
import { WebSocketDisconnect } from "../../src/index.ts";

function echoApp(): App {
  const app = new App({ logger: silentLogger });
  app.websocket(
    "/items/{item_id}/ws",
    {
      params: {
        item_id: Path(z.number().int()),
        q: Query(z.number().int().optional()),
        x_client: Header(z.string().default("none")),
        session: Cookie(z.string().optional()),
      },
    },
    async (args, ws) => {
      expectTypeOf(args.item_id).toEqualTypeOf<number>();
      expectTypeOf(args.q).toEqualTypeOf<number | undefined>();
      await ws.accept();
      await ws.sendJson(args);
      await ws.close();
    },
  );
  return app;
}

describe("parameters are resolved before accept()", () => {
  it("passes typed path, query, header and cookie values", async () => {
    const client = new TestClient(echoApp(), { cookies: { session: "s1" } });
    const ws = await client.websocketConnect("/items/42/ws?q=7", { headers: { "x-client": "tests" } });
    expect(await ws.receiveJson()).toEqual({ item_id: 42, q: 7, x_client: "tests", session: "s1" });
    expect(await ws.closed).toEqual({ code: 1000, reason: "" });
  });

  it("refuses invalid input with close code 1008 and the problems in the reason", async () => {
    const client = new TestClient(echoApp());
    const error = await client.websocketConnect("/items/abc/ws?q=x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketDisconnect);
    expect(error).toMatchObject({ code: 1008 });
    expect((error as WebSocketDisconnect).reason).toMatch(/^2 validation errors: path\.item_id: .*query\.q/);
  });

  it("keeps close reasons within the 123 bytes RFC 6455 allows", async () => {
    const app = new App({ logger: silentLogger });
    const long = Query(z.string());
    app.websocket("/ws", { params: { first_long_parameter_name: long, second_long_parameter_name: long, third_long_parameter_name: long } }, async (_, ws) => {
      await ws.accept();
    });
    const error = (await new TestClient(app).websocketConnect("/ws").catch((e: unknown) => e)) as WebSocketDisconnect;
    expect(error.code).toBe(1008);
    expect(Buffer.byteLength(error.reason)).toBeLessThanOrEqual(123);
    expect(error.reason.endsWith("…")).toBe(true);
  });
});

describe("dependencies and security", () => {
  const bearer = new HTTPBearer();

  function securedApp(): { app: App; calls: string[] } {
    const calls: string[] = [];
    const app = new App({ logger: silentLogger });
    const user = Depends({ credentials: bearer }, ({ credentials }) => {
      if (credentials.credentials !== "good") throw new WebSocketException(4001, "Unknown token");
      calls.push("user");
      return { name: "alice" };
    });
    app.websocket("/secure", { params: { user } }, async ({ user }, ws) => {
      expectTypeOf(user).toEqualTypeOf<{ name: string }>();
      calls.push("handler");
      await ws.accept();
      await ws.sendText(`hello ${user.name}`);
    });
    return { app, calls };
  }

  it("closes with 1008 when a security scheme finds no credentials (FastAPI's policy violation)", async () => {
    const { app, calls } = securedApp();
    await expect(new TestClient(app).websocketConnect("/secure")).rejects.toMatchObject({ code: 1008, reason: "Not authenticated" });
    expect(calls).toEqual([]);
  });

  it("closes with the code of a WebSocketException raised by a dependency", async () => {
    const { app } = securedApp();
    const client = new TestClient(app, { headers: { authorization: "Bearer bad" } });
    await expect(client.websocketConnect("/secure")).rejects.toMatchObject({ code: 4001, reason: "Unknown token" });
  });

  it("runs the handler once the credentials are valid", async () => {
    const { app, calls } = securedApp();
    const client = new TestClient(app, { headers: { authorization: "Bearer good" } });
    const ws = await client.websocketConnect("/secure");
    expect(await ws.receiveText()).toBe("hello alice");
    expect(calls).toEqual(["user", "handler"]);
  });

  it("applies dependency overrides to WebSocket routes", async () => {
    const { app } = securedApp();
    app.dependencyOverrides.set(bearer, (): HTTPAuthorizationCredentials => ({ scheme: "Bearer", credentials: "good" }));
    const ws = await new TestClient(app).websocketConnect("/secure");
    expect(await ws.receiveText()).toBe("hello alice");
  });

  it("runs app-level dependencies before WebSocket routes too", async () => {
    const seen: string[] = [];
    const app = new App({ logger: silentLogger, dependencies: [Depends(() => void seen.push("app"))] });
    app.websocket("/ws", {}, async (_, ws) => {
      seen.push("handler");
      await ws.accept();
    });
    await (await new TestClient(app).websocketConnect("/ws")).closed;
    expect(seen).toEqual(["app", "handler"]);
  });
});

describe("refusals and routing", () => {
  it("answers 404 for a path without a WebSocket route", async () => {
    const app = echoApp();
    app.get("/plain", {}, () => "ok");
    for (const path of ["/nope", "/plain"]) {
      const error = (await new TestClient(app).websocketConnect(path).catch((e: unknown) => e)) as WebSocketHandshakeError;
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error.status).toBe(404);
      expect(error.json()).toEqual({ detail: "Not Found" });
    }
  });

  it("answers 403 when the handler returns without accepting", async () => {
    const app = new App({ logger: silentLogger });
    app.websocket("/ws", {}, () => undefined);
    const error = (await new TestClient(app).websocketConnect("/ws").catch((e: unknown) => e)) as WebSocketHandshakeError;
    expect(error.status).toBe(403);
  });

  it("refuses with the handler's own close code before accept()", async () => {
    const app = new App({ logger: silentLogger });
    app.websocket("/ws", {}, (_, ws) => ws.close(4403, "Go away"));
    await expect(new TestClient(app).websocketConnect("/ws")).rejects.toMatchObject({ code: 4403, reason: "Go away" });
  });

  it("routes upgrades into mounted sub-apps", async () => {
    const root = new App({ logger: silentLogger });
    const v1 = new App({ logger: silentLogger });
    v1.websocket("/ws/{name}", { params: { name: Path() } }, async ({ name }, ws) => {
      await ws.accept();
      await ws.sendText(`${name} at ${ws.request.path}`);
    });
    root.mount("/v1", v1);
    const ws = await new TestClient(root).websocketConnect("/v1/ws/bob");
    expect(await ws.receiveText()).toBe("bob at /v1/ws/bob");
  });

  it("negotiates subprotocols and sends accept() headers with the 101 response", async () => {
    const app = new App({ logger: silentLogger });
    app.websocket("/auto", { subprotocols: ["v2", "v1"] }, (_, ws) => ws.accept());
    app.websocket("/explicit", {}, async (_, ws) => {
      expect(ws.subprotocols).toEqual(["a", "b"]);
      await ws.accept("b", { "set-cookie": "seen=1; Path=/", "x-extra": "yes" });
      await ws.sendText(ws.subprotocol ?? "none");
    });
    const client = new TestClient(app);
    const auto = await client.websocketConnect("/auto", { subprotocols: ["v1", "v2"] });
    expect(auto.subprotocol).toBe("v1");
    const explicit = await client.websocketConnect("/explicit", { subprotocols: ["a", "b"] });
    expect(explicit.subprotocol).toBe("b");
    expect(explicit.headers["x-extra"]).toBe("yes");
    expect(explicit.headers["set-cookie"]).toEqual(["seen=1; Path=/"]);
    expect(await explicit.receiveText()).toBe("b");
  });
});

describe("registration", () => {
  it("refuses body parameters, which a handshake cannot carry", () => {
    const app = new App();
    expect(() => app.websocket("/ws", { params: { b: Body(z.string()) } }, () => undefined)).toThrow(TypefastError);
    expect(() => app.websocket("/ws", { params: { b: Body(z.string()) } }, () => undefined)).toThrow(/TF_WEBSOCKET_BODY|no body/);
  });

  it("refuses nonsensical limits", () => {
    const app = new App();
    expect(() => app.websocket("/ws", { maxMessageSize: 0 }, () => undefined)).toThrow(/maxMessageSize must be a positive number/);
  });

  it("fails a path parameter that is not in the path at registration", () => {
    const app = new App();
    expect(() => app.websocket("/ws", { params: { id: Path() } }, () => undefined)).toThrow(/not in the path/);
  });
});
