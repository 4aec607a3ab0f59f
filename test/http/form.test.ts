import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTPException } from "../../src/errors/http-exception.ts";
import { FormData } from "../../src/http/form-data.ts";
import { parseForm, parseMultipart, parseUrlencoded } from "../../src/http/form-parse.ts";
import type { RawRequest } from "../../src/http/raw.ts";
import { UploadFile } from "../../src/http/upload-file.ts";

// ---- helpers: hand-built multipart bodies and RawRequest-shaped streams ----------------------------------------

const BOUNDARY = "----typefast-test-7MA4YWxk";
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

type Part =
  | { name: string; value: string }
  | { name: string; filename?: string; contentType?: string; data: Buffer | string; disposition?: string };

function multipartBody(parts: Part[], boundary = BOUNDARY): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\n`;
    if ("value" in p) {
      head += `Content-Disposition: form-data; name="${p.name}"\r\n\r\n`;
      out.push(Buffer.from(head + p.value));
    } else {
      const filename = p.filename !== undefined ? `; filename="${p.filename}"` : "";
      head += `Content-Disposition: ${p.disposition ?? `form-data; name="${p.name}"${filename}`}\r\n`;
      if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
      out.push(Buffer.from(head + "\r\n"), Buffer.from(p.data));
    }
    out.push(Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

/** Split into small chunks so boundaries and headers straddle chunk edges. */
const chunked = (body: Buffer, size: number) =>
  Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));

function rawRequest(body: Buffer | Buffer[] | Readable, contentType = MULTIPART): RawRequest {
  const stream = body instanceof Readable ? body : Readable.from(Array.isArray(body) ? body : [body], { objectMode: false });
  return Object.assign(stream, {
    method: "POST",
    url: "/upload",
    headers: { "content-type": contentType },
    rawHeaders: ["Content-Type", contentType],
    socket: null,
  }) as unknown as RawRequest;
}

const parse = (parts: Part[], limits?: Parameters<typeof parseMultipart>[2], chunk = 0) => {
  const body = multipartBody(parts);
  return parseMultipart(rawRequest(chunk ? chunked(body, chunk) : body), MULTIPART, limits);
};

/** Settles the promise or fails fast: a parser that hangs must not just time the whole suite out. */
function within<T>(p: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms))]);
}

async function expectHttpError(p: Promise<unknown>, status: number, message: string | RegExp): Promise<HTTPException> {
  const err = await within(p).then(
    () => expect.fail("expected the parse to fail"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HTTPException);
  expect((err as HTTPException).status).toBe(status);
  expect((err as HTTPException).message).toMatch(message);
  return err as HTTPException;
}

// `os.tmpdir()` reads TMPDIR on each call; a private directory lets us list exactly the temp files created here.
let tmp = "";
let savedTmp: string | undefined;
const tempUploads = () => readdirSync(tmp).filter((f) => f.startsWith("typefast-upload-"));
beforeAll(() => {
  savedTmp = process.env.TMPDIR;
  tmp = mkdtempSync(join(tmpdir(), "typefast-form-test-"));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(tmp, { recursive: true, force: true });
});

// ---- multipart -------------------------------------------------------------------------------------------------

describe("parseMultipart", () => {
  it("parses fields and files together, in order, across tiny chunks", async () => {
    const form = await parse(
      [
        { name: "title", value: "Hello, world" },
        { name: "doc", filename: "a.txt", contentType: "text/plain", data: "file body\r\n--not-a-boundary" },
        { name: "tag", value: "x" },
        { name: "tag", value: "y" },
      ],
      undefined,
      7,
    );
    expect([...form.keys()]).toEqual(["title", "doc", "tag"]);
    expect(form.get("title")).toBe("Hello, world");
    expect(form.get("tag")).toBe("y"); // last value wins for a scalar
    expect(form.getAll("tag")).toEqual(["x", "y"]);
    const doc = form.get("doc") as UploadFile;
    expect(doc).toBeInstanceOf(UploadFile);
    expect(doc.filename).toBe("a.txt");
    expect(doc.contentType).toBe("text/plain");
    expect(doc.size).toBe(27);
    expect(doc.headers["content-disposition"]).toBe('form-data; name="doc"; filename="a.txt"');
    expect(await doc.text()).toBe("file body\r\n--not-a-boundary");
    expect([...form.entries()].map(([k]) => k)).toEqual(["title", "doc", "tag", "tag"]);
    await form.close();
  });

  it("decodes UTF-8 field names and filenames, plain and RFC 5987, and strips directories", async () => {
    const form = await parse([
      { name: "prénom", value: "Zoë 🎉" },
      { name: "f1", filename: "résumé 📄.pdf", contentType: "application/pdf", data: "%PDF" },
      { name: "f2", data: "€", disposition: `form-data; name="f2"; filename*=UTF-8''%E2%82%AC.txt` },
      { name: "f3", filename: "../../etc/passwd", data: "x" },
    ]);
    expect(form.get("prénom")).toBe("Zoë 🎉");
    expect((form.get("f1") as UploadFile).filename).toBe("résumé 📄.pdf");
    expect((form.get("f2") as UploadFile).filename).toBe("€.txt");
    expect((form.get("f3") as UploadFile).filename).toBe("passwd");
    await form.close();
  });

  it("handles an empty file and delivers filename-less file parts as text fields", async () => {
    const form = await parse([
      { name: "empty", filename: "empty.txt", contentType: "text/plain", data: "" },
      { name: "blob", contentType: "application/octet-stream", data: "raw bytes" },
      { name: "unpicked", filename: "", contentType: "application/octet-stream", data: "" },
      { name: "after", value: "1" },
    ]);
    const empty = form.get("empty") as UploadFile;
    expect(empty.size).toBe(0);
    expect((await empty.bytes()).length).toBe(0);
    expect(form.get("blob")).toBe("raw bytes");
    expect(form.get("unpicked")).toBe("");
    expect([...form.keys()]).toEqual(["empty", "blob", "unpicked", "after"]);
    await form.close();
  });

  it("spools a file above the threshold to a private temp file, deleted on close", async () => {
    const big = Buffer.alloc(200_000, 7);
    big.write("start");
    const form = await parse(
      [
        { name: "small", filename: "s.bin", data: "tiny" },
        { name: "big", filename: "b.bin", contentType: "application/octet-stream", data: big },
      ],
      { spoolThreshold: 64 * 1024 },
      16 * 1024,
    );
    const small = form.get("small") as UploadFile;
    const file = form.get("big") as UploadFile;
    expect(small.onDisk).toBe(false);
    expect(file.onDisk).toBe(true);
    expect(file.size).toBe(big.length);
    const files = tempUploads();
    expect(files).toHaveLength(1);
    expect((await import("node:fs")).statSync(join(tmp, files[0])).mode & 0o777).toBe(0o600);
    expect((await file.bytes()).equals(big)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const parts: Buffer[] = [];
      for await (const c of file.stream()) parts.push(c as Buffer);
      expect(Buffer.concat(parts).equals(big)).toBe(true); // re-readable from the start
    }
    const copy = join(tmp, "saved.bin");
    await file.saveTo(copy);
    expect((await import("node:fs")).readFileSync(copy).equals(big)).toBe(true);
    rmSync(copy);
    await form.close();
    await form.close(); // idempotent
    expect(tempUploads()).toEqual([]);
    expect(file.closed).toBe(true);
    await expect(file.bytes()).rejects.toThrow(/closed/);
  });

  it("propagates storage failures as they are (a server error), still cleaning up", async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(tmp, "does-not-exist");
    try {
      const file = { name: "f", filename: "f.bin", data: Buffer.alloc(100) };
      const err = await within(parse([file], { spoolThreshold: 10 })).catch((e: unknown) => e);
      expect(err).not.toBeInstanceOf(HTTPException);
      expect((err as NodeJS.ErrnoException).code).toBe("ENOENT");
    } finally {
      process.env.TMPDIR = saved;
    }
    expect(tempUploads()).toEqual([]);
  });

  it("rejects a file over maxFileSize with 413 naming the file and the limit, leaving no temp files", async () => {
    await expectHttpError(
      parse(
        [
          { name: "ok", filename: "ok.bin", data: Buffer.alloc(300) }, // spooled to disk, must be cleaned up
          { name: "f", filename: "name.bin", data: Buffer.alloc(1001) },
        ],
        { maxFileSize: 1000, spoolThreshold: 100 },
        64,
      ),
      413,
      "File 'name.bin' is larger than the 1000-byte limit",
    );
    expect(tempUploads()).toEqual([]);
    const exact = await parse([{ name: "f", filename: "name.bin", data: Buffer.alloc(1000) }], { maxFileSize: 1000 });
    expect((exact.get("f") as UploadFile).size).toBe(1000);
    await exact.close();
  });

  it("uses the 10 MiB default file limit", async () => {
    const data = Buffer.alloc(10 * 1024 * 1024 + 1);
    await expectHttpError(
      parse([{ name: "f", filename: "name.bin", data }], undefined, 256 * 1024),
      413,
      "File 'name.bin' is larger than the 10485760-byte limit",
    );
    expect(tempUploads()).toEqual([]);
  });

  it("enforces field size and field / file / part counts with 413", async () => {
    const big = { name: "spool", filename: "s.bin", data: Buffer.alloc(500) };
    const spool = { spoolThreshold: 10 };
    const bio = { name: "bio", value: "x".repeat(11) };
    await expectHttpError(parse([big, bio], { ...spool, maxFieldSize: 10 }), 413, "Form field 'bio' is larger than the 10-byte limit");
    const blob = { name: "blob", contentType: "application/octet-stream", data: "x".repeat(11) };
    await expectHttpError(parse([blob], { maxFieldSize: 10 }), 413, "Form field 'blob' is larger than the 10-byte limit");
    const three = [{ name: "a", value: "1" }, { name: "b", value: "2" }, { name: "c", value: "3" }];
    await expectHttpError(parse([big, ...three], { ...spool, maxFields: 2 }), 413, "Too many form fields: the limit is 2");
    await expectHttpError(parse([big, big, big], { ...spool, maxFiles: 2 }), 413, "Too many files: the limit is 2");
    await expectHttpError(parse([big, ...three], { ...spool, maxParts: 3 }), 413, "Too many parts: the limit is 3");
    expect(tempUploads()).toEqual([]);
    // Exactly at each limit is fine.
    const atLimits = { maxFieldSize: 10, maxFields: 1, maxFiles: 2, maxParts: 3 };
    const ok = await parse([{ name: "bio", value: "x".repeat(10) }, big, big], atLimits);
    expect(ok.get("bio")).toBe("x".repeat(10));
    await ok.close();
  });

  it.each([
    ["multipart/form-data", /no boundary parameter/],
    ["multipart/form-data; boundary=", /boundary parameter is empty/],
    ["multipart/form-data; boundary=\"\"", /boundary parameter is empty/],
    [`multipart/form-data; boundary=${"a".repeat(71)}`, /71 characters long/],
    ["multipart/form-data; boundary=abc{}", /not allowed by RFC 2046/],
  ])("rejects bad boundary in %j with 400", async (contentType, why) => {
    const err = await expectHttpError(parseMultipart(rawRequest(multipartBody([])), contentType), 400, why);
    expect(err.message).toMatch(/^Invalid multipart body: /);
  });

  it("accepts a quoted boundary and a mixed-case media type", async () => {
    const body = multipartBody([{ name: "a", value: "1" }], "b:o=u n?d");
    const form = await parseMultipart(rawRequest(body), 'Multipart/Form-Data; charset=utf-8; boundary="b:o=u n?d"');
    expect(form.get("a")).toBe("1");
  });

  it("rejects a body that does not use the declared boundary", async () => {
    const body = multipartBody([{ name: "a", value: "1" }], "other-boundary");
    await expectHttpError(parseMultipart(rawRequest(body), MULTIPART), 400, /Invalid multipart body: .*closing boundary/);
  });

  it("rejects a truncated body with 400 without hanging, and cleans up spooled files", async () => {
    const body = multipartBody([{ name: "f", filename: "f.bin", data: Buffer.alloc(50_000, 1) }]);
    await expectHttpError(
      parseMultipart(rawRequest(chunked(body.subarray(0, 30_000), 4096)), MULTIPART, { spoolThreshold: 1000 }),
      400,
      /Invalid multipart body: the body ended before the closing boundary/,
    );
    await expectHttpError(parseMultipart(rawRequest(Buffer.alloc(0)), MULTIPART), 400, /Invalid multipart body/);
    const headerCut = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-da`);
    await expectHttpError(parseMultipart(rawRequest(headerCut), MULTIPART), 400, /Invalid multipart body/);
    expect(tempUploads()).toEqual([]);
  });

  it("rejects a malformed part header with 400", async () => {
    const body = Buffer.from(`--${BOUNDARY}\r\nthis is not a header\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`);
    await expectHttpError(parseMultipart(rawRequest(body), MULTIPART), 400, "Invalid multipart body: a part has malformed headers");
  });

  it("rejects with 400 when the client aborts mid-upload", async () => {
    const body = multipartBody([{ name: "f", filename: "f.bin", data: Buffer.alloc(20_000) }]);
    const stream = new Readable({ read() {} });
    stream.push(body.subarray(0, 10_000));
    setTimeout(() => stream.destroy(), 20);
    await expectHttpError(parseMultipart(rawRequest(stream), MULTIPART, { spoolThreshold: 100 }), 400, /aborted/);
    const failing = new Readable({ read() {} });
    failing.push(body.subarray(0, 10_000));
    setTimeout(() => failing.destroy(new Error("ECONNRESET")), 20);
    await expectHttpError(parseMultipart(rawRequest(failing), MULTIPART), 400, /request stream failed \(ECONNRESET\)/);
    expect(tempUploads()).toEqual([]);
  });

  it("drains the rest of the request after an early error", async () => {
    const parts = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, value: "v" }));
    const req = rawRequest(chunked(multipartBody(parts), 32));
    await expectHttpError(parseMultipart(req, MULTIPART, { maxFields: 1 }), 413, /limit is 1/);
    await within(new Promise((resolve) => (req.readableEnded ? resolve(null) : req.once("end", resolve))));
  });

  it("never lets __proto__ / constructor field names touch a prototype", async () => {
    const form = await parse([
      { name: "__proto__", value: "polluted" },
      { name: "constructor", value: "c" },
      { name: "__proto__", filename: "p.txt", data: "x" },
    ]);
    expect(form.getAll("__proto__")).toHaveLength(2);
    const obj = form.toObject();
    expect(Object.prototype.isPrototypeOf(obj)).toBe(false); // inherits nothing (see NullObject)
    expect(Object.keys(obj)).toEqual(["__proto__", "constructor"]);
    expect(obj.constructor).toBe("c");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    await form.close();
  });
});

// ---- urlencoded ------------------------------------------------------------------------------------------------

describe("parseUrlencoded", () => {
  it("handles the edge cases", () => {
    expect(parseUrlencoded("").size).toBe(0);
    expect(parseUrlencoded(Buffer.alloc(0)).size).toBe(0);
    expect(parseUrlencoded("a=&b").toObject()).toEqual({ a: "", b: "" });
    expect(parseUrlencoded("&&a=1&&").toObject()).toEqual({ a: "1" });
    expect(parseUrlencoded("q=a+b%2Bc&x%20y=1=2").toObject()).toEqual({ q: "a b+c", "x y": "1=2" });
    expect(parseUrlencoded("=v").get("")).toBe("v");
    expect(parseUrlencoded(Buffer.from("name=%C3%A9t%C3%A9&raw=caf\u00e9")).toObject()).toEqual({ name: "été", raw: "café" });
    expect(parseUrlencoded("bad=%FF").get("bad")).toBe("\uFFFD"); // invalid UTF-8 is replaced, as browsers do
    const f = parseUrlencoded("t=1&t=2&t=3");
    expect(f.get("t")).toBe("3");
    expect(f.getAll("t")).toEqual(["1", "2", "3"]);
    expect(f.toObject()).toEqual({ t: ["1", "2", "3"] });
  });

  it.each(["a=%zz", "a=%2", "a=100%", "b%g1=x"])("rejects malformed percent-encoding in %j with 400", async (body) => {
    await expectHttpError((async () => parseUrlencoded(body))(), 400, /^Invalid percent-encoding in form field '(a|b%g1)'$/);
  });

  it("enforces maxFields and maxFieldSize with 413", () => {
    expect(() => parseUrlencoded("a=1&b=2&c=3", { maxFields: 2 })).toThrow("Too many form fields: the limit is 2");
    expect(parseUrlencoded("a=1&b=2", { maxFields: 2 }).size).toBe(2);
    expect(() => parseUrlencoded("bio=xxxxx", { maxFieldSize: 4 })).toThrow("Form field 'bio' is larger than the 4-byte limit");
    expect(parseUrlencoded("bio=%41%41%41%41", { maxFieldSize: 4 }).get("bio")).toBe("AAAA"); // decoded size counts
  });

  it("keeps __proto__ as an ordinary key", () => {
    const obj = parseUrlencoded("__proto__=x&constructor=y&__proto__[admin]=1").toObject();
    expect(Object.prototype.isPrototypeOf(obj)).toBe(false); // inherits nothing (see NullObject)
    expect(obj["__proto__"]).toBe("x");
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

// ---- dispatch --------------------------------------------------------------------------------------------------

describe("parseForm", () => {
  const noBody = () => Promise.reject(new Error("body must not be read"));

  it("dispatches on the content type", async () => {
    const type = "application/x-www-form-urlencoded; charset=UTF-8";
    const urlencoded = await parseForm(rawRequest(Buffer.alloc(0)), type, undefined, async () => Buffer.from("a=1"));
    expect(urlencoded.get("a")).toBe("1");
    const multi = await parseForm(rawRequest(multipartBody([{ name: "b", value: "2" }])), MULTIPART, undefined, noBody);
    expect(multi.get("b")).toBe("2");
    for (const type of [undefined, "application/json", "text/plain"]) {
      const empty = await parseForm(rawRequest(Buffer.from("{}")), type, undefined, noBody);
      expect(empty).toBeInstanceOf(FormData);
      expect(empty.size).toBe(0);
    }
  });

  it("passes limits through", async () => {
    const body = async () => Buffer.from("a=1&b=2");
    const p = parseForm(rawRequest(Buffer.alloc(0)), "application/x-www-form-urlencoded", { maxFields: 1 }, body);
    await expect(p).rejects.toMatchObject({ status: 413 });
  });
});
