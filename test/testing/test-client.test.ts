import { describe, expect, it } from "vitest";
import type { RawRequest } from "../../src/http/raw.ts";
import { encodeMultipart, escapeDispositionValue, guessContentType, TestClient, type ClientApp, type RawHandler } from "../../src/testing/index.ts";

async function readBody(req: RawRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Echo { method: string; url: string; headers: Record<string, string | string[]>; rawHeaders: string[]; body: string; remoteAddress: string; encrypted: boolean }

/** Answers with what it received as JSON (the body base64-encoded, so bytes survive). */
const echo: RawHandler = async (req, res) => {
  const body = await readBody(req);
  const payload: Echo = {
    method: req.method ?? "", url: req.url ?? "", headers: req.headers as Echo["headers"], rawHeaders: req.rawHeaders,
    body: body.toString("base64"), remoteAddress: req.socket?.remoteAddress ?? "", encrypted: req.socket?.encrypted ?? false,
  };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
};
const app = (handle: RawHandler): ClientApp => ({ handle });
const bodyOf = (seen: Echo): Buffer => Buffer.from(seen.body, "base64");

/** Split a multipart body on its boundary, checking the framing, into each part's header lines and bytes. */
function parseMultipart(body: Buffer, contentType: string): Array<{ headers: string[]; content: Buffer }> {
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(contentType)?.[1];
  expect(boundary).toBeDefined();
  const text = body.toString("latin1");
  const closing = `--${boundary}--\r\n`;
  expect(text.endsWith(closing)).toBe(true);
  const [preamble, ...parts] = text.slice(0, -closing.length).split(`--${boundary}\r\n`);
  expect(preamble).toBe("");
  return parts.map((part) => {
    expect(part.endsWith("\r\n")).toBe(true);
    const split = part.indexOf("\r\n\r\n");
    return { headers: part.slice(0, split).split("\r\n"), content: Buffer.from(part.slice(split + 4, -2), "latin1") };
  });
}

describe("TestClient: URLs and headers", () => {
  it("sends host, accept and user-agent, and resolves paths against the base URL", async () => {
    const client = new TestClient(app(echo));
    const res = await client.get("/items/1?x=1");
    const seen = res.json<Echo>();
    expect(seen).toMatchObject({ method: "GET", url: "/items/1?x=1", remoteAddress: "127.0.0.1", encrypted: false });
    expect(seen.headers).toEqual({ host: "testserver", accept: "*/*", "user-agent": "testclient" });
    expect(res.url).toBe("http://testserver/items/1?x=1");
    expect(res.ok).toBe(true);
  });

  it("accepts absolute URLs and a base URL with a path prefix, scheme and port", async () => {
    const client = new TestClient(app(echo), { baseUrl: "https://api.example:8443/v1/", remoteAddress: "10.1.2.3" });
    const seen = (await client.get("items")).json<Echo>();
    expect(seen).toMatchObject({ url: "/v1/items", encrypted: true, remoteAddress: "10.1.2.3" });
    expect(seen.headers.host).toBe("api.example:8443");
    const absolute = (await client.delete("http://other.test/x#frag")).json<Echo>();
    expect(absolute).toMatchObject({ method: "DELETE", url: "/x", encrypted: false });
    expect(absolute.headers.host).toBe("other.test");
  });

  it("merges params into the query with percent-encoding; arrays repeat, null/undefined are skipped", async () => {
    const client = new TestClient(app(echo));
    const res = await client.get("/search?q=a b", { params: { tag: ["x", "y"], n: 1, flag: true, skip: null, gone: undefined, text: "a&b=c é/?" } });
    expect(res.json<Echo>().url).toBe("/search?q=a%20b&tag=x&tag=y&n=1&flag=true&text=a%26b%3Dc%20%C3%A9%2F%3F");
    expect((await client.get("/plain", { params: { only: null } })).json<Echo>().url).toBe("/plain");
  });

  it("lets request headers override client headers case-insensitively and repeats array values", async () => {
    const client = new TestClient(app(echo), { headers: { Authorization: "Bearer a", "X-Client": "1" } });
    const seen = (await client.get("/", { headers: { authorization: "Bearer b", "User-Agent": "mine", "X-Many": ["1", "2"] } })).json<Echo>();
    expect(seen.headers).toMatchObject({ authorization: "Bearer b", "x-client": "1", "user-agent": "mine", "x-many": "1, 2" });
  });

  it("offers every method helper, uppercases custom methods and returns an empty body for HEAD", async () => {
    const client = new TestClient(app(echo));
    for (const method of ["get", "post", "put", "patch", "delete", "options"] as const) {
      expect((await client[method]("/")).json<Echo>().method).toBe(method.toUpperCase());
    }
    expect((await client.request("purge", "/")).json<Echo>().method).toBe("PURGE");
    const head = await client.head("/");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});

describe("TestClient: bodies", () => {
  const client = new TestClient(app(echo));

  it("encodes json with content-type and content-length", async () => {
    const seen = (await client.post("/", { json: { name: "Foo", tags: ["a"], price: 1.5 } })).json<Echo>();
    expect(JSON.parse(bodyOf(seen).toString())).toEqual({ name: "Foo", tags: ["a"], price: 1.5 });
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers["content-length"]).toBe(String(bodyOf(seen).length));
    expect(bodyOf((await client.post("/", { json: null })).json<Echo>()).toString()).toBe("null");
  });

  it("encodes data as a urlencoded form", async () => {
    const seen = (await client.post("/", { data: { name: "a b&c", n: 2, ok: false, multi: ["x", "y"] } })).json<Echo>();
    expect(seen.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(bodyOf(seen).toString()).toBe("name=a+b%26c&n=2&ok=false&multi=x&multi=y");
  });

  it("sends raw content untouched with the caller's content-type", async () => {
    const bytes = new Uint8Array([0, 255, 10, 13]);
    const seen = (await client.put("/", { content: bytes, headers: { "content-type": "application/octet-stream" } })).json<Echo>();
    expect([...bodyOf(seen)]).toEqual([0, 255, 10, 13]);
    expect(seen.headers["content-type"]).toBe("application/octet-stream");
  });

  it("encodes files (and data fields) as multipart/form-data that re-parses exactly", async () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255]);
    const seen = (await client.post("/upload", {
      data: { note: "hi\r\nthere", n: 3 },
      files: {
        photo: { filename: "beach.png", content: png },
        docs: [{ filename: 'a "quoted"\r\nname.txt', content: "first" }, { filename: "résumé.bin", content: "second", contentType: "text/x-custom" }],
      },
    })).json<Echo>();
    const parts = parseMultipart(bodyOf(seen), String(seen.headers["content-type"]));
    expect(parts.map((p) => p.headers)).toEqual([
      ['Content-Disposition: form-data; name="note"'],
      ['Content-Disposition: form-data; name="n"'],
      ['Content-Disposition: form-data; name="photo"; filename="beach.png"', "Content-Type: image/png"],
      ['Content-Disposition: form-data; name="docs"; filename="a %22quoted%22%0D%0Aname.txt"', "Content-Type: text/plain"],
      [`Content-Disposition: form-data; name="docs"; filename="${Buffer.from("résumé.bin").toString("latin1")}"`, "Content-Type: text/x-custom"],
    ]);
    expect(parts.map((p) => p.content.toString("utf8"))).toEqual(["hi\r\nthere", "3", Buffer.from(png).toString("utf8"), "first", "second"]);
    expect([...parts[2].content]).toEqual([...png]);
  });

  it("refuses to mix json, content and data/files", async () => {
    await expect(client.post("/", { json: {}, content: "x" })).rejects.toThrow(/only one of/);
    await expect(client.post("/", { json: {}, data: { a: "1" } })).rejects.toThrow(TypeError);
  });
});

describe("encodeMultipart", () => {
  it("frames parts with CRLFs and a fresh random boundary each time", () => {
    const first = encodeMultipart({ a: "1" }, { f: { filename: "x.json", content: "{}" } });
    const boundary = first.contentType.split("boundary=")[1];
    expect(first.body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.json"\r\nContent-Type: application/json\r\n\r\n{}\r\n` +
      `--${boundary}--\r\n`,
    );
    expect(encodeMultipart({}, {}).contentType).not.toBe(first.contentType);
    expect(encodeMultipart({}, {}).body.toString()).toMatch(/^--[-\w]+--\r\n$/);
  });

  it("escapes names like browsers and guesses file types", () => {
    expect(escapeDispositionValue('a"b\rc\nd é')).toBe("a%22b%0Dc%0Ad é");
    expect(guessContentType("PHOTO.JPG")).toBe("image/jpeg");
    expect(guessContentType("noext")).toBe("application/octet-stream");
  });
});

describe("TestClient: cookies", () => {
  const cookieApp: RawHandler = (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const setCookie = url.searchParams.getAll("set");
    res.writeHead(200, setCookie.length > 0 ? { "set-cookie": setCookie } : {});
    res.end(String(req.headers.cookie ?? ""));
  };

  it("stores Set-Cookie in the jar and sends it back on later requests", async () => {
    const client = new TestClient(app(cookieApp), { cookies: { seed: "0" } });
    await client.get("/", { params: { set: ["session=abc; Path=/; HttpOnly", "theme=dark"] } });
    expect(Object.fromEntries(client.cookies)).toEqual({ seed: "0", session: "abc", theme: "dark" });
    expect((await client.get("/")).text).toBe("seed=0; session=abc; theme=dark");
    expect((await client.get("/", { cookies: { theme: "light", extra: "1" } })).text).toBe("seed=0; session=abc; theme=light; extra=1");
    expect((await client.get("/", { headers: { Cookie: "mine=1" } })).text).toBe("mine=1");
  });

  it("deletes cookies on Max-Age<=0 or a past Expires, with Max-Age winning", async () => {
    const client = new TestClient(app(cookieApp), { cookies: { a: "1", b: "2", c: "3", d: "4" } });
    await client.get("/", {
      params: {
        set: ["a=; Max-Age=0", "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "c=new; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", "d=; max-age=-1", "e=5; Expires=Fri, 01 Jan 2100 00:00:00 GMT"],
      },
    });
    expect(Object.fromEntries(client.cookies)).toEqual({ c: "new", e: "5" });
  });
});

describe("TestClient: redirects", () => {
  /** `/r/<status>/<next>` redirects with `status` to `/<next>`; `/hop/<n>` counts down; anything else echoes. */
  const redirects: RawHandler = async (req, res) => {
    const [, kind, a, ...rest] = (req.url ?? "/").split("?")[0].split("/");
    if (kind === "r") {
      res.writeHead(Number(a), { location: `/${rest.join("/")}`, "set-cookie": `hop${a}=1` });
      res.end();
    } else if (kind === "hop") {
      res.writeHead(302, { location: Number(a) > 0 ? `/hop/${Number(a) - 1}` : "/done" });
      res.end();
    } else if (kind === "away") {
      res.writeHead(307, { location: "https://elsewhere.example/x" });
      res.end();
    } else await echo(req, res);
  };
  const client = new TestClient(app(redirects));

  it("follows a chain, recording history and the final url", async () => {
    const res = await client.get("/r/301/r/308/r/302/final?x=1");
    expect(res.status).toBe(200);
    expect(res.url).toBe("http://testserver/final");
    expect(res.history.map((r) => [r.status, r.url])).toEqual([
      [301, "http://testserver/r/301/r/308/r/302/final?x=1"],
      [308, "http://testserver/r/308/r/302/final"],
      [302, "http://testserver/r/302/final"],
    ]);
    expect(res.json<Echo>().headers.cookie).toBe("hop301=1; hop308=1; hop302=1");
  });

  it("switches to a body-less GET on 303, and on 301/302 for POST", async () => {
    for (const status of [303, 301, 302]) {
      const seen = (await client.post(`/r/${status}/next`, { json: { a: 1 } })).json<Echo>();
      expect(seen.method).toBe("GET");
      expect(seen.body).toBe("");
      expect(seen.headers["content-type"]).toBeUndefined();
      expect(seen.headers["content-length"]).toBeUndefined();
    }
    expect((await client.put("/r/303/next", { content: "x" })).json<Echo>().method).toBe("GET");
  });

  it("keeps method and body on 307/308 (and for non-POST 301/302)", async () => {
    for (const [method, status] of [["POST", 307], ["PATCH", 308], ["PUT", 302]] as const) {
      const seen = (await client.request(method, `/r/${status}/next`, { json: { a: 1 } })).json<Echo>();
      expect(seen.method).toBe(method);
      expect(bodyOf(seen).toString()).toBe('{"a":1}');
      expect(seen.headers["content-type"]).toBe("application/json");
    }
  });

  it("does not follow when disabled, nor to another host", async () => {
    const noFollow = new TestClient(app(redirects), { followRedirects: false });
    expect((await noFollow.get("/r/302/next")).status).toBe(302);
    expect((await noFollow.get("/r/302/next", { followRedirects: true })).status).toBe(200);
    expect((await client.get("/r/307/next", { followRedirects: false })).header("location")).toBe("/next");
    const away = await client.get("/away");
    expect(away.status).toBe(307);
    expect(away.history).toEqual([]);
  });

  it("stops after 20 redirects", async () => {
    expect((await client.get("/hop/19")).history).toHaveLength(20);
    await expect(client.get("/hop/20")).rejects.toThrow(/exceeded 20 redirects/);
  });
});

describe("TestClient: responses and errors", () => {
  it("exposes text, json, header and ok, and propagates app errors", async () => {
    const client = new TestClient(app(async (req, res) => {
      if (req.url === "/boom") throw new Error("app exploded");
      if (req.url === "/cut") {
        res.writeHead(200);
        res.write("par");
        res.destroy();
        return;
      }
      res.writeHead(404, { "Content-Type": "application/json", "set-cookie": ["a=1", "b=2"] });
      res.end('{"detail":"Not Found"}');
    }));
    const res = await client.get("/missing");
    expect(res).toMatchObject({ status: 404, ok: false, text: '{"detail":"Not Found"}', aborted: false, history: [] });
    expect(res.json()).toEqual({ detail: "Not Found" });
    expect(res.header("CONTENT-TYPE")).toBe("application/json");
    expect(res.header("set-cookie")).toBe("a=1, b=2");
    expect(res.header("x-none")).toBeUndefined();
    await expect(client.get("/boom")).rejects.toThrow("app exploded");
    expect(await client.get("/cut")).toMatchObject({ aborted: true, text: "par" });
  });
});

describe("TestClient: lifespan", () => {
  const lifespanApp = () => {
    const calls: string[] = [];
    const target: ClientApp = {
      handle: (_req, res) => void res.end(calls.join(",")),
      startup: async () => { calls.push("startup"); },
      shutdown: async () => { calls.push("shutdown"); },
    };
    return { target, calls };
  };

  it("does not run startup on its own; start() is idempotent and stop() runs shutdown once", async () => {
    const { target, calls } = lifespanApp();
    const client = new TestClient(target);
    expect((await client.get("/")).text).toBe("");
    await client.stop();
    expect(calls).toEqual([]);
    const [a, b] = await Promise.all([client.start(), client.start()]);
    expect(a).toBe(client);
    expect(b).toBe(client);
    await client.start();
    expect((await client.get("/")).text).toBe("startup");
    await client.stop();
    await client.stop();
    expect(calls).toEqual(["startup", "shutdown"]);
    await client.start();
    expect(calls).toEqual(["startup", "shutdown", "startup"]);
  });

  it("runs shutdown at the end of an `await using` scope", async () => {
    const { target, calls } = lifespanApp();
    {
      await using client = await new TestClient(target).start();
      expect((await client.get("/")).text).toBe("startup");
    }
    expect(calls).toEqual(["startup", "shutdown"]);
  });

  it("lets start() be retried after a failed startup", async () => {
    let attempts = 0;
    const client = new TestClient({ handle: (_req, res) => void res.end(), startup: async () => { if (++attempts === 1) throw new Error("db down"); } });
    await expect(client.start()).rejects.toThrow("db down");
    await expect(client.start()).resolves.toBe(client);
    expect(attempts).toBe(2);
  });
});
