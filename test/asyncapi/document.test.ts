/** The AsyncAPI 3.0 document of the WebSocket routes: channels, messages, bindings, security, and where it is served. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Header, Path, Query, asyncapiDocument, type AsyncAPIDocument } from "../../src/index.ts";
import { APIKeyQuery, HTTPBearer, OAuth2PasswordBearer, Security } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const ChatIn = z.object({ text: z.string().min(1), reply_to: z.int().optional() }).meta({ id: "ChatIn", description: "A chat line" });
const Author = z.object({ name: z.string() }).meta({ id: "Author" });
const ChatOut = z.object({ text: z.string(), author: Author }).meta({ id: "ChatOut" });

function chatApp(): App {
  const app = new App({ title: "Chat", version: "2.0.0", description: "Rooms" });
  const bearer = new HTTPBearer();
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "/token", scopes: { "chat:write": "Post messages" } });
  app.websocket(
    "/rooms/{room}",
    {
      params: {
        room: Path(z.enum(["lobby", "dev"]), { description: "The room to join" }),
        since: Query(z.int().optional()),
        x_client: Header(z.string()),
        user: Depends({ creds: bearer }, ({ creds }) => creds.credentials),
      },
      receive: ChatIn,
      send: ChatOut,
      summary: "Chat in a room",
      description: "Everything said in the room.",
      tags: ["chat"],
    },
    async function chat(_, ws) {
      await ws.accept();
    },
  );
  app.websocket("/admin", { params: { token: Security(oauth2, { scopes: ["chat:write"] }) }, send: z.string() }, async function admin(_, ws) {
    await ws.accept();
  });
  app.websocket("/keyed", { params: { key: new APIKeyQuery({ name: "api_key" }) } }, async function keyed(_, ws) {
    await ws.accept();
  });
  app.websocket("/hidden", { includeInSchema: false }, (_, ws) => ws.accept());
  return app;
}

/** Every `$ref` in the document points at something that exists (the checks a parser would do first). */
function expectRefsResolve(doc: AsyncAPIDocument): void {
  const refs: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "$ref" && typeof inner === "string") refs.push(inner);
        else walk(inner);
      }
    }
  };
  walk(doc);
  for (const ref of refs) {
    expect(ref.startsWith("#/"), ref).toBe(true);
    let node: unknown = doc;
    for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    expect(node, `unresolved ${ref}`).toBeDefined();
  }
}

/** The structural rules of AsyncAPI 3.0 that a generator can get wrong. */
function expectWellFormed(doc: AsyncAPIDocument): void {
  expect(doc.asyncapi).toBe("3.0.0");
  expect(typeof doc.info.title).toBe("string");
  expect(typeof doc.info.version).toBe("string");
  for (const [id, operation] of Object.entries(doc.operations)) {
    expect(["send", "receive"]).toContain(operation.action);
    const channelRef = (operation.channel as { $ref: string }).$ref;
    expect(channelRef).toMatch(/^#\/channels\//);
    // An operation's messages must be a subset of its channel's messages (AsyncAPI 3.0 §Operation Object).
    for (const m of (operation.messages ?? []) as Array<{ $ref: string }>) expect(m.$ref.startsWith(`${channelRef}/messages/`), id).toBe(true);
  }
  for (const channel of Object.values(doc.channels)) {
    expect(typeof channel.address).toBe("string");
    for (const name of Object.keys((channel.parameters ?? {}) as object)) expect(channel.address as string).toContain(`{${name}}`);
  }
  expectRefsResolve(doc);
}

describe("asyncapiDocument", () => {
  const doc = asyncapiDocument(chatApp());

  it("is a well-formed AsyncAPI 3.0 document with one channel per documented route", () => {
    expectWellFormed(doc);
    expect(doc.info).toEqual({ title: "Chat", version: "2.0.0", description: "Rooms" });
    expect(Object.keys(doc.channels)).toEqual(["chat", "admin", "keyed"]);
  });

  it("describes the address, path parameters and the handshake's query and headers", () => {
    expect(doc.channels.chat).toMatchObject({
      address: "/rooms/{room}",
      summary: "Chat in a room",
      description: "Everything said in the room.",
      parameters: { room: { description: "The room to join", enum: ["lobby", "dev"] } },
      bindings: {
        ws: {
          method: "GET",
          query: { type: "object", properties: { since: { type: "integer" } } },
          headers: { type: "object", properties: { "x-client": { type: "string" } }, required: ["x-client"] },
          bindingVersion: "0.1.0",
        },
      },
    });
    expect((doc.channels.chat!.bindings as { ws: { query: { required?: string[] } } }).ws.query.required).toBeUndefined();
  });

  it("publishes the receive and send schemas as messages, named schemas under components", () => {
    expect(doc.channels.chat!.messages).toEqual({
      ChatIn: { $ref: "#/components/messages/ChatIn" },
      ChatOut: { $ref: "#/components/messages/ChatOut" },
    });
    expect(doc.components.messages!.ChatIn).toEqual({ name: "ChatIn", contentType: "application/json", payload: { $ref: "#/components/schemas/ChatIn" } });
    expect(doc.components.schemas!.ChatIn).toMatchObject({ type: "object", description: "A chat line", required: ["text"] });
    expect(doc.components.schemas!.ChatOut).toMatchObject({ properties: { author: { $ref: "#/components/schemas/Author" } } });
    expect(doc.components.schemas!.Author).toMatchObject({ properties: { name: { type: "string" } } });
    expect(JSON.stringify(doc)).not.toContain("#/definitions/");
    expect(JSON.stringify(doc)).not.toContain("$schema");
    // An unnamed schema gets a name from its channel.
    expect(doc.components.messages!.AdminSent).toEqual({ name: "AdminSent", contentType: "application/json", payload: { type: "string" } });
  });

  it("has one operation per direction, from the application's point of view", () => {
    expect(doc.operations.receiveChat).toMatchObject({
      action: "receive",
      channel: { $ref: "#/channels/chat" },
      messages: [{ $ref: "#/channels/chat/messages/ChatIn" }],
      summary: "Chat in a room",
      tags: [{ name: "chat" }],
    });
    expect(doc.operations.sendChat).toMatchObject({ action: "send", messages: [{ $ref: "#/channels/chat/messages/ChatOut" }] });
    expect(doc.operations.sendAdmin).toBeDefined();
    expect(doc.operations.receiveAdmin).toBeUndefined(); // no receive schema: nothing to document
  });

  it("documents the security schemes of the route's dependencies in AsyncAPI terms", () => {
    expect(doc.components.securitySchemes).toEqual({
      APIKeyQuery: { type: "httpApiKey", name: "api_key", in: "query" },
      HTTPBearer: { type: "http", scheme: "bearer" },
      OAuth2PasswordBearer: { type: "oauth2", flows: { password: { tokenUrl: "/token", availableScopes: { "chat:write": "Post messages" } } } },
    });
    expect(doc.operations.receiveChat!.security).toEqual([{ $ref: "#/components/securitySchemes/HTTPBearer" }]);
    // Required scopes live on the scheme in AsyncAPI 3.0, so the operation carries its own copy.
    expect(doc.operations.sendAdmin!.security).toEqual([{ ...doc.components.securitySchemes!.OAuth2PasswordBearer, scopes: ["chat:write"] }]);
  });

  it("leaves out routes with includeInSchema: false, and prefixes mounted apps' addresses", () => {
    expect(JSON.stringify(doc)).not.toContain("/hidden");
    const root = new App();
    const sub = new App();
    sub.websocket("/ws", {}, (_, ws) => ws.accept());
    root.mount("/v1", sub);
    expect(asyncapiDocument(sub).channels.websocket).toMatchObject({ address: "/v1/ws" });
  });
});

describe("GET /asyncapi.json", () => {
  it("is served by the first WebSocket route, names the server that was asked, and stays out of OpenAPI", async () => {
    const app = chatApp();
    const client = new TestClient(app, { baseUrl: "https://chat.example" });
    const res = await client.get("/asyncapi.json");
    expect(res.status).toBe(200);
    const served = res.json();
    expect(served.servers).toEqual({ default: { host: "chat.example", protocol: "wss", description: "This server" } });
    expect(served.channels).toEqual(asyncapiDocument(app).channels);
    expect(app.openapi().paths?.["/asyncapi.json"]).toBeUndefined();
  });

  it("is off when the OpenAPI document is off", async () => {
    const app = new App({ openapiUrl: null });
    app.websocket("/ws", {}, (_, ws) => ws.accept());
    expect((await new TestClient(app).get("/asyncapi.json")).status).toBe(404);
  });

  it("picks up routes added after the first request", async () => {
    const app = new App();
    app.websocket("/a", {}, function a(_, ws) {
      return ws.accept();
    });
    const client = new TestClient(app);
    expect(Object.keys((await client.get("/asyncapi.json")).json().channels)).toEqual(["a"]);
    app.websocket("/b", {}, function b(_, ws) {
      return ws.accept();
    });
    expect(Object.keys((await client.get("/asyncapi.json")).json().channels)).toEqual(["a", "b"]);
  });
});
