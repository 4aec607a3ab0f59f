import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HTTPException } from "../../src/errors/http-exception.ts";
import { FileResponse, guessMediaType } from "../../src/http/file-response.ts";
import type { SendContext } from "../../src/http/response.ts";
import { FakeRawResponse, startServer, tick } from "./fake-raw-response.ts";

let dir: string;
let textPath: string; // "0123456789" * 10 = 100 bytes
let bigPath: string; // 1 MiB of varied bytes
let emptyPath: string;
const TEXT = "0123456789".repeat(10);
const BIG = Buffer.alloc(1 << 20, 0).map((_, i) => (i * 31) % 251);
const MTIME = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "typefast-file-"));
  textPath = join(dir, "digits.txt");
  bigPath = join(dir, "big.bin");
  emptyPath = join(dir, "empty.json");
  await writeFile(textPath, TEXT);
  await writeFile(bigPath, BIG);
  await writeFile(emptyPath, "");
  await utimes(textPath, MTIME, MTIME);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function ctx(requestHeaders: Record<string, string> = {}, method = "GET"): SendContext {
  return { method, requestHeaders };
}

async function send(response: FileResponse, context = ctx(), raw = new FakeRawResponse()): Promise<FakeRawResponse> {
  await response.send(raw, context);
  return raw;
}

async function etagOf(path: string): Promise<string> {
  return String((await send(new FileResponse(path), ctx({}, "HEAD"))).head.headers["etag"]);
}

describe("guessMediaType", () => {
  it.each([
    ["index.html", "text/html"], ["a.CSS", "text/css"], ["m.mjs", "text/javascript"], ["x.json", "application/json"],
    ["p.PNG", "image/png"], ["p.jpeg", "image/jpeg"], ["i.svg", "image/svg+xml"], ["f.woff2", "font/woff2"],
    ["a.tar.gz", "application/gzip"], ["mod.wasm", "application/wasm"], ["README", "application/octet-stream"],
    ["dir.d/file", "application/octet-stream"], ["x.unknown", "application/octet-stream"],
  ])("%s → %s", (path, type) => expect(guessMediaType(path)).toBe(type));
});

describe("FileResponse", () => {
  it("sends the whole file with validators", async () => {
    const raw = await send(new FileResponse(textPath));
    const size = TEXT.length;
    expect(raw.head.status).toBe(200);
    expect(raw.head.headers).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(size),
      "accept-ranges": "bytes",
      "last-modified": MTIME.toUTCString(),
      etag: `W/"${size.toString(16)}-${MTIME.getTime().toString(16)}"`,
    });
    expect(raw.text).toBe(TEXT);
  });

  it("throws HTTPException 404 for a missing file or a directory, writing nothing", async () => {
    for (const path of [join(dir, "nope.txt"), dir, join(textPath, "child")]) {
      const raw = new FakeRawResponse();
      const error = await new FileResponse(path).send(raw, ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HTTPException);
      expect((error as HTTPException).status).toBe(404);
      expect((error as HTTPException).detail).toBe("File not found");
      expect(raw.heads).toHaveLength(0);
    }
  });

  it("uses a given stat instead of calling stat", async () => {
    const dirStat = await stat(dir);
    await expect(new FileResponse(textPath, { stat: dirStat }).send(new FakeRawResponse(), ctx())).rejects.toThrow(
      "File not found",
    );
    const raw = await send(new FileResponse(textPath, { stat: await stat(textPath) }));
    expect(raw.text).toBe(TEXT);
  });

  it("sets content-disposition for ASCII and non-ASCII names", () => {
    expect(new FileResponse(textPath, { filename: 'report "q3".txt' }).headers["content-disposition"])
      .toBe('attachment; filename="report \\"q3\\".txt"');
    expect(new FileResponse(textPath, { filename: "Bericht für Q3 – 2024.pdf", contentDisposition: "inline" }).headers)
      .toMatchObject({
        "content-disposition":
          "inline; filename=\"Bericht f_r Q3 _ 2024.pdf\"; filename*=UTF-8''Bericht%20f%C3%BCr%20Q3%20%E2%80%93%202024.pdf",
        "content-type": "application/pdf", // guessed from the filename, not the path
      });
    expect(new FileResponse(textPath).headers["content-disposition"]).toBeUndefined();
    expect(new FileResponse(textPath, { contentDisposition: "inline" }).headers["content-disposition"]).toBe("inline");
  });

  it("neutralizes CR/LF in the filename", () => {
    const header = String(new FileResponse(textPath, { filename: "a\r\nSet-Cookie: x=1.txt" }).headers["content-disposition"]);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toContain("filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.txt");
  });

  it("answers HEAD with the full headers and no body", async () => {
    const raw = await send(new FileResponse(textPath), ctx({}, "HEAD"));
    expect(raw.head.headers["content-length"]).toBe("100");
    expect(raw.body.length).toBe(0);
    expect(raw.writableEnded).toBe(true);
  });

  it("sends an empty file", async () => {
    const raw = await send(new FileResponse(emptyPath));
    expect(raw.head.headers["content-length"]).toBe("0");
    expect(raw.head.headers["content-type"]).toBe("application/json");
    expect(raw.writableEnded).toBe(true);
  });

  describe("conditional requests", () => {
    it("answers a matching If-None-Match with 304 and no content headers", async () => {
      const etag = await etagOf(textPath);
      for (const header of [etag, etag.slice(2), `"other", ${etag}`, "*"]) {
        const raw = await send(new FileResponse(textPath), ctx({ "if-none-match": header }));
        expect(raw.head.status).toBe(304);
        expect(raw.head.headers["etag"]).toBe(etag);
        expect(raw.head.headers["content-type"]).toBeUndefined();
        expect(raw.head.headers["content-length"]).toBeUndefined();
        expect(raw.body.length).toBe(0);
      }
      expect((await send(new FileResponse(textPath), ctx({ "if-none-match": '"stale"' }))).head.status).toBe(200);
    });

    it("answers If-Modified-Since at or after the mtime with 304", async () => {
      const at = (d: Date) => ctx({ "if-modified-since": d.toUTCString() });
      expect((await send(new FileResponse(textPath), at(MTIME))).head.status).toBe(304);
      expect((await send(new FileResponse(textPath), at(new Date(MTIME.getTime() + 60_000)))).head.status).toBe(304);
      expect((await send(new FileResponse(textPath), at(new Date(MTIME.getTime() - 1000)))).head.status).toBe(200);
      expect((await send(new FileResponse(textPath), ctx({ "if-modified-since": "garbage" }))).head.status).toBe(200);
    });

    it("lets If-None-Match win over If-Modified-Since", async () => {
      const raw = await send(
        new FileResponse(textPath),
        ctx({ "if-none-match": '"stale"', "if-modified-since": new Date(Date.now() + 3600_000).toUTCString() }),
      );
      expect(raw.head.status).toBe(200);
    });

    it("ignores conditionals and ranges for other statuses and methods", async () => {
      const etag = await etagOf(textPath);
      const custom = await send(new FileResponse(textPath, { status: 404 }), ctx({ "if-none-match": etag, range: "bytes=0-1" }));
      expect(custom.head.status).toBe(404);
      expect(custom.text).toBe(TEXT);
      const post = await send(new FileResponse(textPath), ctx({ range: "bytes=0-1" }, "POST"));
      expect(post.head.status).toBe(200);
    });
  });

  describe("ranges", () => {
    it.each([
      ["bytes=10-19", 10, 19],
      ["bytes=90-", 90, 99],
      ["bytes=-5", 95, 99],
      ["bytes=95-500", 95, 99],
      ["bytes=-500", 0, 99],
      ["bytes=0-0", 0, 0],
      ["bytes=0-4, 2-8, 9-9", 0, 9], // overlapping and adjacent ranges are merged
    ])("%s → 206 %i-%i", async (range, start, end) => {
      const raw = await send(new FileResponse(textPath), ctx({ range }));
      expect(raw.head.status).toBe(206);
      expect(raw.head.headers["content-range"]).toBe(`bytes ${start}-${end}/100`);
      expect(raw.head.headers["content-length"]).toBe(String(end - start + 1));
      expect(raw.text).toBe(TEXT.slice(start, end + 1));
    });

    it.each([["bytes=100-"], ["bytes=500-600"], ["bytes=-0"], ["bytes=100-, 200-300"]])(
      "%s → 416",
      async (range) => {
        const raw = await send(new FileResponse(textPath), ctx({ range }));
        expect(raw.head.status).toBe(416);
        expect(raw.head.headers["content-range"]).toBe("bytes */100");
        expect(raw.head.headers["content-length"]).toBe("0");
        expect(raw.body.length).toBe(0);
      },
    );

    it("answers any range on an empty file with 416", async () => {
      expect((await send(new FileResponse(emptyPath), ctx({ range: "bytes=0-" }))).head.status).toBe(416);
    });

    it.each([["bytes=5-2"], ["items=0-5"], ["bytes=abc"], ["bytes=-"], ["bytes="], ["bytes=1-2-3"]])(
      "ignores the invalid header %j (200)",
      async (range) => {
        const raw = await send(new FileResponse(textPath), ctx({ range }));
        expect(raw.head.status).toBe(200);
        expect(raw.text).toBe(TEXT);
      },
    );

    it("ignores absurd numbers of ranges", async () => {
      const range = "bytes=" + Array.from({ length: 100 }, (_, i) => `${i}-${i}`).join(",");
      expect((await send(new FileResponse(textPath), ctx({ range }))).head.status).toBe(200);
    });

    it("serves several ranges as multipart/byteranges", async () => {
      const raw = await send(new FileResponse(textPath), ctx({ range: "bytes=50-52, 0-1, -2" }));
      expect(raw.head.status).toBe(206);
      const type = String(raw.head.headers["content-type"]);
      const boundary = /^multipart\/byteranges; boundary=(\w+)$/.exec(type)![1];
      expect(raw.head.headers["content-length"]).toBe(String(raw.body.length));
      expect(raw.head.headers["content-range"]).toBeUndefined();
      const part = (s: number, e: number, first = false) =>
        `${first ? "" : "\r\n"}--${boundary}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
        `content-range: bytes ${s}-${e}/100\r\n\r\n${TEXT.slice(s, e + 1)}`;
      expect(raw.text).toBe(part(0, 1, true) + part(50, 52) + part(98, 99) + `\r\n--${boundary}--\r\n`);
    });

    it("honours If-Range with the current etag or date, and sends the full file otherwise", async () => {
      const etag = await etagOf(textPath);
      const status = async (ifRange: string) =>
        (await send(new FileResponse(textPath), ctx({ range: "bytes=0-9", "if-range": ifRange }))).head.status;
      expect(await status(etag)).toBe(206);
      expect(await status(MTIME.toUTCString())).toBe(206);
      expect(await status('"old-etag"')).toBe(200);
      expect(await status(new Date(MTIME.getTime() - 5000).toUTCString())).toBe(200);
    });

    it("answers HEAD with a range with 206 headers only", async () => {
      const raw = await send(new FileResponse(textPath), ctx({ range: "bytes=0-9" }, "HEAD"));
      expect(raw.head.status).toBe(206);
      expect(raw.head.headers["content-length"]).toBe("10");
      expect(raw.body.length).toBe(0);
    });
  });

  describe("streaming", () => {
    it("respects back-pressure", async () => {
      const raw = new FakeRawResponse({ highWaterMark: 64 * 1024, autoDrain: true });
      await send(new FileResponse(bigPath), ctx(), raw);
      expect(raw.body.equals(BIG)).toBe(true);
      expect(raw.maxBuffered).toBeLessThanOrEqual(2 * 64 * 1024);
      expect(raw.listenerCount("drain")).toBe(0);
    });

    it("stops reading when the client disconnects", async () => {
      const raw = new FakeRawResponse({ highWaterMark: 1 });
      const done = send(new FileResponse(bigPath), ctx(), raw);
      while (raw.writeCalls === 0) await tick();
      raw.disconnect();
      await done;
      await tick();
      expect(raw.writeCalls).toBe(1);
      expect(raw.writableEnded).toBe(false);
    });

    it.runIf(existsSync("/proc/self/fd"))("closes the file when the client leaves (no descriptor leak)", async () => {
      const openFds = async () => (await readdir("/proc/self/fd")).length;
      const before = await openFds();
      for (let i = 0; i < 5; i++) {
        const raw = new FakeRawResponse({ highWaterMark: 1 });
        const done = send(new FileResponse(bigPath), ctx({ range: "bytes=0-10,500-600000" }), raw);
        while (raw.writeCalls === 0) await tick();
        raw.disconnect();
        await done;
      }
      for (let i = 0; i < 20 && (await openFds()) > before; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await openFds()).toBe(before);
    });

    it("writes nothing when the client is already gone", async () => {
      const raw = new FakeRawResponse();
      raw.destroyed = true;
      await send(new FileResponse(textPath), ctx(), raw);
      expect(raw.heads).toHaveLength(0);
    });
  });
});

describe("over a real node:http server", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("serves files, ranges, 304, 416 and 404", async () => {
    const server = await startServer((req) => new FileResponse(req.url === "/big" ? bigPath : req.url === "/missing" ? join(dir, "x") : textPath));
    close = server.close;

    const full = await fetch(`${server.url}/big`);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(BIG)).toBe(true);

    const first = await fetch(server.url);
    const etag = first.headers.get("etag")!;
    expect(await first.text()).toBe(TEXT);

    const notModified = await fetch(server.url, { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");

    const ranged = await fetch(`${server.url}/big`, { headers: { range: "bytes=1000-1999" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 1000-1999/${BIG.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(BIG.subarray(1000, 2000))).toBe(true);

    const multi = await fetch(server.url, { headers: { range: "bytes=0-0,-1" } });
    expect(multi.status).toBe(206);
    expect(multi.headers.get("content-type")).toMatch(/^multipart\/byteranges; boundary=/);
    expect(await multi.text()).toContain("content-range: bytes 99-99/100");

    const unsatisfiable = await fetch(server.url, { headers: { range: "bytes=1000-" } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get("content-range")).toBe("bytes */100");

    const head = await fetch(`${server.url}/big`, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe(String(BIG.length));

    expect((await fetch(`${server.url}/missing`)).status).toBe(404);
  });
});
