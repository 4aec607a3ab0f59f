import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawRequest, RawResponse } from "../../src/http/raw.ts";
import { inject, type RawHandler } from "../../src/testing/index.ts";

async function readBody(req: RawRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers with what it received, as JSON. */
const echo: RawHandler = async (req, res) => {
  const body = await readBody(req);
  const payload = JSON.stringify({
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    body: body.toString("utf8"),
    isReadable: req instanceof Readable,
    socket: req.socket,
  });
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) });
  res.end(payload);
};

const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("inject: the request", () => {
  it("passes method, url and a string body through a Readable, adding content-length", async () => {
    const res = await inject(echo, { method: "POST", url: "/items/1?x=1", body: "héllo" });
    const seen = JSON.parse(res.body.toString());
    expect(seen).toMatchObject({ method: "POST", url: "/items/1?x=1", body: "héllo", isReadable: true });
    expect(seen.headers["content-length"]).toBe("6");
    expect(seen.rawHeaders).toEqual(["content-length", "6"]);
  });

  it("accepts a Uint8Array body and copies it; no body means no content-length and an empty stream", async () => {
    const bytes = new Uint8Array([104, 105]);
    const pending = inject(echo, { method: "PUT", url: "/", body: bytes });
    bytes[0] = 0;
    expect(JSON.parse((await pending).body.toString()).body).toBe("hi");
    const empty = JSON.parse((await inject(echo, { method: "GET", url: "/" })).body.toString());
    expect(empty.body).toBe("");
    expect(empty.headers).toEqual({});
  });

  it("keeps a given content-length or transfer-encoding instead of adding one", async () => {
    const a = JSON.parse((await inject(echo, { method: "POST", url: "/", body: "abc", headers: { "Content-Length": "3" } })).body.toString());
    expect(a.rawHeaders).toEqual(["Content-Length", "3"]);
    const b = JSON.parse((await inject(echo, { method: "POST", url: "/", body: "abc", headers: { "transfer-encoding": "chunked" } })).body.toString());
    expect(b.headers["content-length"]).toBeUndefined();
  });

  it("lower-cases header names and joins repeats the way Node does", async () => {
    const res = await inject(echo, {
      method: "GET",
      url: "/",
      headers: {
        "X-Forwarded-For": ["10.0.0.1", "10.0.0.2"],
        "x-forwarded-for": "10.0.0.3",
        Cookie: ["a=1", "b=2"],
        "Set-Cookie": ["s=1", "t=2"],
        "Content-Type": ["text/plain", "application/json"],
        "User-Agent": "first",
        "user-agent": "second",
      },
    });
    const seen = JSON.parse(res.body.toString());
    expect(seen.headers).toEqual({
      "x-forwarded-for": "10.0.0.1, 10.0.0.2, 10.0.0.3",
      cookie: "a=1; b=2",
      "set-cookie": ["s=1", "t=2"],
      "content-type": "text/plain",
      "user-agent": "first",
    });
    expect(seen.rawHeaders.slice(0, 6)).toEqual(["X-Forwarded-For", "10.0.0.1", "X-Forwarded-For", "10.0.0.2", "x-forwarded-for", "10.0.0.3"]);
    expect(seen.rawHeaders).toHaveLength(22);
  });

  it("reports the socket: remote address (default 127.0.0.1), port 50000, not encrypted unless asked", async () => {
    const plain = JSON.parse((await inject(echo, { method: "GET", url: "/" })).body.toString());
    expect(plain.socket).toEqual({ remoteAddress: "127.0.0.1", remotePort: 50000, encrypted: false });
    const custom = JSON.parse((await inject(echo, { method: "GET", url: "/", remoteAddress: "203.0.113.9", encrypted: true })).body.toString());
    expect(custom.socket).toEqual({ remoteAddress: "203.0.113.9", remotePort: 50000, encrypted: true });
  });
});

describe("inject: the response", () => {
  it("records the head with lower-cased names, stringified numbers and arrays", async () => {
    const res = await inject((_req, res) => {
      res.writeHead(201, { "Content-Type": "text/plain", "X-Count": 3, "Set-Cookie": ["a=1", "b=2"], "X-One": ["only"] });
      res.end("made");
    }, { method: "POST", url: "/" });
    expect(res).toEqual({
      status: 201,
      headers: { "content-type": "text/plain", "x-count": "3", "set-cookie": ["a=1", "b=2"], "x-one": ["only"] },
      body: Buffer.from("made"),
      aborted: false,
    });
  });

  it("keeps headersSent / writableEnded / destroyed correct and emits finish then close", async () => {
    const log: string[] = [];
    let response: RawResponse | undefined;
    const res = await inject((_req, res) => {
      response = res;
      const flags = (): string => `${res.headersSent}/${res.writableEnded}/${res.destroyed}`;
      res.on("finish", () => log.push(`finish ${flags()}`));
      res.on("close", () => log.push(`close ${flags()}`));
      log.push(`start ${flags()}`);
      res.writeHead(200);
      log.push(`head ${flags()}`);
      expect(res.write("a")).toBe(true);
      res.end("b");
      log.push(`end ${flags()}`);
    }, { method: "GET", url: "/" });
    expect(log).toEqual(["start false/false/false", "head true/false/false", "end true/true/false", "finish true/true/false", "close true/true/false"]);
    expect(res.body.toString()).toBe("ab");
    expect(response?.statusCode).toBe(200);
  });

  it("throws like Node when writeHead is called twice or with an invalid status", async () => {
    const errors: unknown[] = [];
    await inject((_req, res) => {
      try { res.writeHead(99); } catch (error) { errors.push(error); }
      res.writeHead(200);
      try { res.writeHead(500); } catch (error) { errors.push(error); }
      res.end();
    }, { method: "GET", url: "/" });
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(["ERR_HTTP_INVALID_STATUS_CODE", "ERR_HTTP_HEADERS_SENT"]);
  });

  it("sends an implicit head from statusCode on the first write or end", async () => {
    const res = await inject((_req, res) => {
      res.statusCode = 202;
      res.end("accepted");
    }, { method: "GET", url: "/" });
    expect(res).toMatchObject({ status: 202, headers: { "content-length": "8" }, aborted: false });
    expect(res.body.toString()).toBe("accepted");
    const streamed = await inject((_req, res) => {
      res.write("a");
      res.end("b");
    }, { method: "GET", url: "/" });
    expect(streamed).toMatchObject({ status: 200, headers: {} });
    expect(streamed.body.toString()).toBe("ab");
  });

  it("collects a body streamed with several writes over time (copying each chunk)", async () => {
    const res = await inject(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const buffer = Buffer.from("one ");
      res.write(buffer);
      buffer.write("XXXX");
      for (const word of ["two ", "three"]) {
        await tick();
        res.write(word);
      }
      res.end();
    }, { method: "GET", url: "/" });
    expect(res.body.toString()).toBe("one two three");
  });

  it("marks a response destroyed mid-body as aborted, keeping what was written", async () => {
    const events: string[] = [];
    const res = await inject(async (_req, res) => {
      res.on("finish", () => events.push("finish"));
      res.on("close", () => events.push(`close destroyed=${res.destroyed}`));
      res.writeHead(200);
      res.write("partial");
      await tick();
      res.destroy(new Error("upstream failed"));
      expect(res.write("ignored")).toBe(false);
      res.end("ignored");
    }, { method: "GET", url: "/" });
    expect(res).toMatchObject({ status: 200, aborted: true });
    expect(res.body.toString()).toBe("partial");
    expect(events).toEqual(["close destroyed=true"]);
  });

  it("reports status 0 when destroyed before a head, and not aborted when destroyed after end", async () => {
    expect(await inject((_req, res) => void res.destroy(), { method: "GET", url: "/" })).toMatchObject({ status: 0, aborted: true });
    const after = await inject((_req, res) => {
      res.end("done");
      res.destroy();
    }, { method: "GET", url: "/" });
    expect(after).toMatchObject({ status: 200, aborted: false });
    expect(after.body.toString()).toBe("done");
  });

  it("drops the body of HEAD requests and of 204/304 answers, as Node does", async () => {
    const handler: RawHandler = (req, res) => {
      res.writeHead(Number(req.url?.slice(1)), { "content-length": "5" });
      res.end("hello");
    };
    const head = await inject(handler, { method: "HEAD", url: "/200" });
    expect(head).toMatchObject({ status: 200, headers: { "content-length": "5" } });
    expect(head.body.length).toBe(0);
    expect((await inject(handler, { method: "GET", url: "/204" })).body.length).toBe(0);
    expect((await inject(handler, { method: "GET", url: "/304" })).body.length).toBe(0);
    expect((await inject(handler, { method: "GET", url: "/200" })).body.toString()).toBe("hello");
  });

  it("throws ERR_STREAM_WRITE_AFTER_END for a write after end, but allows a bare second end()", async () => {
    let code: unknown;
    await inject((_req, res) => {
      res.end("x");
      res.end();
      try { res.write("late"); } catch (error) { code = (error as { code: string }).code; }
    }, { method: "GET", url: "/" });
    expect(code).toBe("ERR_STREAM_WRITE_AFTER_END");
  });
});

describe("inject: failures", () => {
  it("rejects with the error a handler throws synchronously", async () => {
    const boom = new Error("boom");
    await expect(inject(() => { throw boom; }, { method: "GET", url: "/" })).rejects.toBe(boom);
  });

  it("rejects with the error an async handler rejects with, even after writing", async () => {
    const boom = new TypeError("framework bug");
    await expect(inject(async () => { await tick(); throw boom; }, { method: "GET", url: "/" })).rejects.toBe(boom);
    await expect(inject(async (_req, res) => { res.writeHead(200); res.write("a"); throw boom; }, { method: "GET", url: "/" })).rejects.toBe(boom);
  });

  it("waits for the handler's promise after the response ended", async () => {
    const steps: string[] = [];
    await inject(async (_req, res) => {
      res.end("ok");
      await tick(5);
      steps.push("after end");
    }, { method: "GET", url: "/" });
    expect(steps).toEqual(["after end"]);
  });

  it("rejects after the timeout with a message saying where the handler stalled", async () => {
    const stalls: Array<[RawHandler, RegExp]> = [
      [(_req, res) => { res.writeHead(200); res.write("abc"); }, /GET \/slow did not complete within 30 ms: the head \(status 200\) and 3 body bytes were written, but end\(\) was never called/],
      [() => undefined, /the handler never wrote a response/],
      [(_req, res) => { res.end(); return new Promise<void>(() => undefined); }, /the response ended but the handler's promise never settled/],
    ];
    for (const [handler, message] of stalls) {
      const error = await inject(handler, { method: "GET", url: "/slow", timeout: 30 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as { code: string }).code).toBe("ERR_INJECT_TIMEOUT");
    }
  });
});

describe("inject matches a real node:http round trip", () => {
  const handler: RawHandler = async (req, res) => {
    const body = await readBody(req);
    if (req.url === "/stream") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "x-multi": ["a", "b"] });
      for (const part of ["alpha ", "beta ", "gamma"]) {
        res.write(part);
        await tick();
      }
      res.end();
    } else if (req.url === "/cookies") {
      res.writeHead(200, { "Set-Cookie": ["a=1; Path=/", "b=2; HttpOnly"], "content-length": 2 });
      res.end("ok");
    } else if (req.url === "/empty") {
      res.writeHead(204, { "x-reason": "nothing" });
      res.end();
    } else if (req.url === "/implicit") {
      res.statusCode = 418;
      res.end("teapot");
    } else {
      const payload = JSON.stringify({ method: req.method, url: req.url, test: req.headers["x-test"], body: body.toString() });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
      res.end(payload);
    }
  };
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => void handler(req, res));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const cases: Array<{ method: string; url: string; body?: string; headers?: Record<string, string> }> = [
    { method: "POST", url: "/echo?q=1", body: "payload ✓", headers: { "x-test": "yes", "content-type": "text/plain" } },
    { method: "GET", url: "/stream" },
    { method: "GET", url: "/cookies" },
    { method: "GET", url: "/empty" },
    { method: "GET", url: "/implicit" },
    { method: "HEAD", url: "/echo" },
  ];
  const ignored = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

  it.each(cases)("$method $url", async ({ method, url, body, headers }) => {
    const viaHttp = await fetch(origin + url, { method, body, headers });
    const httpHeaders: Record<string, string | string[]> = {};
    viaHttp.headers.forEach((value, name) => { if (!ignored.has(name) && name !== "set-cookie") httpHeaders[name] = value; });
    if (viaHttp.headers.getSetCookie().length > 0) httpHeaders["set-cookie"] = viaHttp.headers.getSetCookie();
    const httpBody = Buffer.from(await viaHttp.arrayBuffer());

    const viaInject = await inject(handler, { method, url, body, headers });
    const injectHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(viaInject.headers)) {
      if (!ignored.has(name)) injectHeaders[name] = Array.isArray(value) && name !== "set-cookie" ? value.join(", ") : value;
    }
    expect(viaInject.status).toBe(viaHttp.status);
    expect(injectHeaders).toEqual(httpHeaders);
    expect(viaInject.body.toString()).toBe(httpBody.toString());
    if (viaHttp.headers.has("content-length") && method !== "HEAD") {
      expect(viaInject.headers["content-length"]).toBe(viaHttp.headers.get("content-length"));
    }
  });
});
