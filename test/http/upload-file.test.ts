import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormData } from "../../src/http/form-data.ts";
import { SpooledStorage, UploadFile } from "../../src/http/upload-file.ts";

// `os.tmpdir()` reads TMPDIR on each call; a private directory lets us list exactly the temp files created here.
let tmp = "";
let savedTmp: string | undefined;
const tempUploads = () => readdirSync(tmp).filter((f) => f.startsWith("typefast-upload-"));
beforeAll(() => {
  savedTmp = process.env.TMPDIR;
  tmp = mkdtempSync(join(tmpdir(), "typefast-upload-test-"));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(tmp, { recursive: true, force: true });
});

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function storageWith(threshold: number, ...chunks: string[]): Promise<SpooledStorage> {
  const s = new SpooledStorage(threshold);
  for (const c of chunks) await s.write(Buffer.from(c));
  await s.end();
  return s;
}

describe("SpooledStorage", () => {
  it("stays in memory up to the threshold inclusive, then rolls over to a 0600 temp file", async () => {
    const mem = await storageWith(10, "12345", "67890");
    expect(mem.onDisk).toBe(false);
    expect(mem.size).toBe(10);
    expect(tempUploads()).toEqual([]);

    const disk = await storageWith(10, "12345", "67890", "X");
    expect(disk.onDisk).toBe(true);
    expect(disk.size).toBe(11);
    const [name] = tempUploads();
    expect(name).toMatch(/^typefast-upload-[0-9a-f]{32}$/);
    expect(statSync(join(tmp, name)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(tmp, name)).toString()).toBe("1234567890X");
    expect((await disk.read()).toString()).toBe("1234567890X");
    await Promise.all([disk.close(), disk.close()]);
    expect(tempUploads()).toEqual([]);
    await mem.close();
  });

  it("serialises writes fired without awaiting, and close() waits for them", async () => {
    const s = new SpooledStorage(4);
    const writes = ["ab", "cd", "ef", "gh"].map((c) => s.write(Buffer.from(c)));
    void s.end();
    await Promise.all(writes);
    expect((await s.read()).toString()).toBe("abcdefgh");
    await s.close();
    const unfinished = new SpooledStorage(1);
    void unfinished.write(Buffer.from("spill"));
    await unfinished.close(); // closing mid-write must still delete the file
    expect(tempUploads()).toEqual([]);
    await expect(unfinished.write(Buffer.from("more"))).rejects.toThrow(/closed/);
  });
});

describe("UploadFile", () => {
  it("exposes metadata and re-readable content", async () => {
    const file = await UploadFile.fromBuffer("héllo", { filename: "h.txt", contentType: "text/plain", headers: { "x-a": "1" } });
    expect(file.filename).toBe("h.txt");
    expect(file.contentType).toBe("text/plain");
    expect(file.size).toBe(6);
    expect(Object.prototype.isPrototypeOf(file.headers)).toBe(false); // inherits nothing (see NullObject)
    expect(file.headers["x-a"]).toBe("1");
    expect(await file.text()).toBe("héllo");
    expect(await file.text("latin1")).toBe(Buffer.from("héllo").toString("latin1"));
    expect((await collect(file.stream())).toString()).toBe("héllo");
    expect((await collect(file.stream())).toString()).toBe("héllo");
    const bytes = await file.bytes();
    bytes.fill(0); // a copy: mutating it does not corrupt the upload
    expect(await file.text()).toBe("héllo");
    const out = join(tmp, "out.txt");
    await file.saveTo(out);
    expect(readFileSync(out, "utf8")).toBe("héllo");
    rmSync(out);
    await file.close();
    await file.close();
    expect(file.closed).toBe(true);
    expect(() => file.stream()).toThrow(/closed/);
    await expect(file.saveTo(out)).rejects.toThrow(/closed/);
  });

  it("defaults the content type to application/octet-stream", async () => {
    const file = new UploadFile({ filename: "x" }, await storageWith(100, "x"));
    expect(file.contentType).toBe("application/octet-stream");
    expect(file.onDisk).toBe(false);
    await file.close();
  });
});

describe("FormData", () => {
  it("is an ordered multimap where get() returns the last value", async () => {
    const f = new FormData([["a", "1"], ["b", "2"], ["a", "3"]]);
    expect(f.get("a")).toBe("3");
    expect(f.getAll("a")).toEqual(["1", "3"]);
    expect(f.getAll("missing")).toEqual([]);
    expect(f.get("missing")).toBeUndefined();
    expect(f.has("b")).toBe(true);
    expect(f.has("toString")).toBe(false);
    expect([...f.keys()]).toEqual(["a", "b"]);
    expect([...f]).toEqual([["a", "1"], ["b", "2"], ["a", "3"]]);
    f.getAll("a").push("tampered"); // getAll returns a copy
    expect(f.getAll("a")).toHaveLength(2);
  });

  it("toObject() is null-prototype and immune to prototype pollution", () => {
    const f = new FormData([["__proto__", "x"], ["constructor", "y"], ["hasOwnProperty", "z"], ["__proto__", "w"]]);
    const obj = f.toObject();
    expect(Object.prototype.isPrototypeOf(obj)).toBe(false); // inherits nothing (see NullObject)
    expect(obj["__proto__"]).toEqual(["x", "w"]);
    expect(obj.constructor).toBe("y");
    expect(Object.prototype.hasOwnProperty).toBeTypeOf("function");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("close() closes every upload, once", async () => {
    const spilled = new UploadFile({ filename: "big" }, await storageWith(2, "more than two bytes"));
    const small = await UploadFile.fromBuffer("s", { filename: "small" });
    const f = new FormData([["a", spilled], ["t", "text"], ["b", small]]);
    expect(f.files()).toEqual([spilled, small]);
    expect(tempUploads()).toHaveLength(1);
    await Promise.all([f.close(), f.close()]);
    expect(spilled.closed && small.closed).toBe(true);
    expect(tempUploads()).toEqual([]);
  });
});
