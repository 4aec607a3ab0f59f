/** After `accept()`: text, bytes and JSON in both directions, message schemas, size limits, inbound back-pressure. */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { App, InvalidMessageError, WebSocketDisconnect, type WebSocket } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger, until } from "./helpers.ts";

describe("sending and receiving", () => {
  it("echoes text, bytes and JSON, and iteration ends when the client leaves", async () => {
    const app = new App();
    let ended = false;
    app.websocket("/echo", {}, async (_, ws) => {
      await ws.accept();
      for await (const message of ws) {
        if (typeof message === "string") await ws.sendText(`text:${message}`);
        else await ws.sendBytes(Buffer.concat([Buffer.from("bytes:"), message]));
      }
      ended = true;
    });
    const client = new TestClient(app);
    const ws = await client.websocketConnect("/echo");
    await ws.sendText("héllo");
    expect(await ws.receiveText()).toBe("text:héllo");
    await ws.sendBytes(Uint8Array.from([1, 2, 3]));
    expect([...(await ws.receiveBytes())]).toEqual([...Buffer.from("bytes:"), 1, 2, 3]);
    await ws.sendJson({ a: 1 });
    expect(await ws.receiveText()).toBe('text:{"a":1}');
    await ws.close();
    await until(() => ended, 2000, "handler end");
  });

  it("keeps messages that arrive before the handler reads them, in order, pausing the socket meanwhile", async () => {
    const app = new App();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.websocket("/slow", {}, async (_, ws) => {
      await ws.accept();
      await gate;
      const seen: string[] = [];
      for (let i = 0; i < 100; i++) seen.push(await ws.receiveText());
      await ws.sendJson(seen);
    });
    const ws = await new TestClient(app).websocketConnect("/slow");
    const expected = Array.from({ length: 100 }, (_, i) => `m${i}`);
    const sending = Promise.all(expected.map((m) => ws.sendText(m)));
    release();
    await sending;
    expect(await ws.receiveJson()).toEqual(expected);
  });

  it("receive…() throws WebSocketDisconnect with the client's code once the queue is drained", async () => {
    const app = new App();
    const outcome: unknown[] = [];
    app.websocket("/ws", {}, async (_, ws) => {
      await ws.accept();
      await ws.sendText("ready");
      await ws.closed;
      outcome.push(await ws.receiveText());
      outcome.push(await ws.receiveText().catch((e: unknown) => e));
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    expect(await ws.receiveText()).toBe("ready");
    await ws.sendText("last words");
    await ws.close(4000, "bye");
    await until(() => outcome.length === 2);
    expect(outcome[0]).toBe("last words");
    expect(outcome[1]).toBeInstanceOf(WebSocketDisconnect);
    expect(outcome[1]).toMatchObject({ code: 4000, reason: "bye" });
  });

  it("closes with 1009 when a message exceeds maxMessageSize", async () => {
    const app = new App();
    let seen: unknown;
    app.websocket("/ws", { maxMessageSize: 1024 }, async (_, ws) => {
      await ws.accept();
      await ws.receiveText().then(() => ws.receiveText()).catch((e: unknown) => (seen = e));
    });
    const ws = await new TestClient(app).websocketConnect("/ws");
    await ws.sendText("x".repeat(1024));
    await ws.sendText("x".repeat(1025));
    expect((await ws.closed).code).toBe(1009);
    await until(() => seen !== undefined);
    expect(seen).toMatchObject({ code: 1009 });
  });
});

describe("JSON messages and their schemas", () => {
  const Chat = z.object({ text: z.string().min(1), to: z.string().optional() }).meta({ id: "ChatIn" });
  const Out = z.object({ text: z.string(), from: z.string() });

  function chatApp(logger = collectingLogger()): App {
    const app = new App({ logger });
    app.websocket("/chat", { receive: Chat, send: Out }, async (_, ws) => {
      expectTypeOf(ws).toEqualTypeOf<WebSocket<{ text: string; to?: string | undefined }, { text: string; from: string }>>();
      await ws.accept();
      for (;;) {
        try {
          const message = await ws.receiveJson();
          // The schema filters what is sent: `secret` never leaves the server.
          await ws.sendJson({ text: message.text, from: "server", secret: "x" } as { text: string; from: string });
        } catch (error) {
          if (!(error instanceof InvalidMessageError)) throw error;
          if (error.type === "validation") await ws.sendText(JSON.stringify({ error: error.type, detail: error.errors }));
          else if (error.type === "json_invalid") await ws.sendText(JSON.stringify({ error: error.type, message: error.message }));
          else throw error;
        }
      }
    });
    app.websocket("/strict", { receive: Chat }, async (_, ws) => {
      await ws.accept();
      for await (const message of ws.iterJson()) await ws.sendText(message.text);
    });
    app.websocket("/leaky", { send: Out }, async (_, ws) => {
      await ws.accept();
      await ws.sendJson({ text: 1 } as never);
    });
    return app;
  }

  it("validates incoming JSON and filters outgoing JSON through the schemas", async () => {
    const ws = await new TestClient(chatApp()).websocketConnect("/chat");
    await ws.sendJson({ text: "hi" });
    expect(await ws.receiveJson()).toEqual({ text: "hi", from: "server" });
  });

  it("gives the handler a clear, catchable error for malformed JSON and schema mismatches", async () => {
    const ws = await new TestClient(chatApp()).websocketConnect("/chat");
    await ws.sendText("{not json");
    const bad = await ws.receiveJson();
    expect(bad.error).toBe("json_invalid");
    expect(bad.message).toMatch(/^Invalid JSON: /);
    await ws.sendJson({ text: "" });
    expect(await ws.receiveJson()).toEqual({
      error: "validation",
      detail: [expect.objectContaining({ type: "string_too_short", loc: ["message", "text"] })],
    });
    await ws.sendJson({ text: "still here" });
    expect(await ws.receiveJson()).toEqual({ text: "still here", from: "server" });
  });

  it("closes with 1007 for uncaught malformed JSON and 1008 for an uncaught schema mismatch", async () => {
    const client = new TestClient(chatApp());
    const a = await client.websocketConnect("/strict");
    await a.sendText("nope");
    expect((await a.closed).code).toBe(1007);
    const b = await client.websocketConnect("/strict");
    await b.sendJson({ text: 3 });
    const closed = await b.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/message\.text/);
  });

  it("closes with 1003 when a text message was expected and bytes arrived", async () => {
    const app = new App();
    app.websocket("/text", {}, async (_, ws) => {
      await ws.accept();
      await ws.receiveText();
    });
    const ws = await new TestClient(app).websocketConnect("/text");
    await ws.sendBytes(Uint8Array.from([0xff]));
    expect((await ws.closed).code).toBe(1003);
  });

  it("treats a message that breaks the send schema as a server bug: 1011, logged", async () => {
    const logger = collectingLogger();
    const ws = await new TestClient(chatApp(logger)).websocketConnect("/leaky");
    expect(await ws.closed).toEqual({ code: 1011, reason: "Internal Error" });
    expect(logger.errors[0]?.message).toMatch(/WebSocket \/leaky: the WebSocket handler failed/);
  });
});
