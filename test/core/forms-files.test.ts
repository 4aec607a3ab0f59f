import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, File, Files, Form, UploadFile } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { eventually } from "./helpers.ts";

const seen: UploadFile[] = [];
const app = new App({ limits: { form: { maxFileSize: 1024 } } });
app.post("/login", { params: { username: Form(), password: Form(z.string().min(3)), remember: Form(z.boolean().default(false)) } }, (a) => a);
app.post("/tags", { params: { tag: Form(z.array(z.string())) } }, ({ tag }) => ({ tag }));
const Signup = z.strictObject({ email: z.string(), age: z.int().min(18) });
app.post("/signup", { params: { form: Form(Signup) } }, ({ form }) => form);
app.post("/upload", { params: { file: File(), note: Form(z.string().optional()) } }, async ({ file, note }) => {
  seen.push(file);
  return { filename: file.filename, contentType: file.contentType, size: file.size, text: (await file.bytes()).toString("utf8"), note };
});
app.post("/maybe", { params: { file: File({ optional: true }) } }, ({ file }) => ({ has: file !== undefined }));
app.post("/many", { params: { files: Files() } }, ({ files }) => ({ names: files.map((f) => f.filename), sizes: files.map((f) => f.size) }));
app.post("/avatar", { params: { image: File({ maxSize: 10 }) } }, ({ image }) => ({ size: image.size }));
const client = new TestClient(app);

describe("form fields", () => {
  it("reads urlencoded fields with coercion", async () => {
    const res = await client.post("/login", { data: { username: "alice", password: "secret", remember: "on" } });
    expect(res.json()).toEqual({ username: "alice", password: "secret", remember: true });
  });

  it("reads the same fields from multipart", async () => {
    const res = await client.post("/login", { data: { username: "bob", password: "hunter2" }, files: {} });
    expect(res.json()).toEqual({ username: "bob", password: "hunter2", remember: false });
  });

  it("reports form problems at ['body', name]", async () => {
    const res = await client.post("/login", { data: { password: "x" } });
    expect(res.json().detail).toEqual([
      { type: "missing", loc: ["body", "username"], msg: "Field required", input: null },
      { type: "string_too_short", loc: ["body", "password"], msg: "String should have at least 3 characters", input: "x", ctx: { min_length: 3 } },
    ]);
  });

  it("a body that is not a form leaves the fields missing", async () => {
    const res = await client.post("/login", { json: { username: "a", password: "abc" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "username"] });
  });

  it("repeated fields make a list", async () => {
    expect((await client.post("/tags", { data: { tag: ["a", "b"] } })).json()).toEqual({ tag: ["a", "b"] });
  });

  it("a form model reads the whole form and reports at ['body', field]", async () => {
    expect((await client.post("/signup", { data: { email: "a@b.c", age: 30 } })).json()).toEqual({ email: "a@b.c", age: 30 });
    const res = await client.post("/signup", { data: { age: 12, admin: "yes" } });
    expect(res.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["missing", ["body", "email"]],
      ["greater_than_equal", ["body", "age"]],
      ["extra_forbidden", ["body", "admin"]],
    ]);
  });
});

describe("uploaded files", () => {
  it("gives the handler an UploadFile with filename, contentType, size and bytes()", async () => {
    const res = await client.post("/upload", { files: { file: { filename: "hello.txt", content: "héllo" } }, data: { note: "n" } });
    expect(res.json()).toEqual({ filename: "hello.txt", contentType: "text/plain", size: 6, text: "héllo", note: "n" });
  });

  it("closes uploads after the response", async () => {
    const file = seen.at(-1)!;
    await eventually(() => file.closed);
    expect(file.closed).toBe(true);
  });

  it("a required file that is missing is a 422; an optional one is undefined", async () => {
    const res = await client.post("/upload", { data: { note: "no file" }, files: {} });
    expect(res.json().detail).toEqual([{ type: "missing", loc: ["body", "file"], msg: "Field required", input: null }]);
    expect((await client.post("/maybe", { data: { x: "1" }, files: {} })).json()).toEqual({ has: false });
    expect((await client.post("/maybe", { files: { file: { filename: "a.bin", content: "1" } } })).json()).toEqual({ has: true });
  });

  it("Files() collects every file of the field", async () => {
    const res = await client.post("/many", { files: { files: [{ filename: "a.txt", content: "1" }, { filename: "b.txt", content: "22" }] } });
    expect(res.json()).toEqual({ names: ["a.txt", "b.txt"], sizes: [1, 2] });
  });

  it("a file over the field's maxSize is a 422 file_too_large", async () => {
    expect((await client.post("/avatar", { files: { image: { filename: "ok.png", content: "0123456789" } } })).json()).toEqual({ size: 10 });
    const res = await client.post("/avatar", { files: { image: { filename: "big.png", content: "0123456789A" } } });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([{
      type: "file_too_large",
      loc: ["body", "image"],
      msg: "File 'big.png' is larger than the 10-byte limit for this field",
      input: "big.png",
      ctx: { max_size: 10 },
    }]);
  });

  it("a file over the app's limits.form.maxFileSize is refused by the parser with 413", async () => {
    const res = await client.post("/upload", { files: { file: { filename: "huge.bin", content: Buffer.alloc(2048, 1) } } });
    expect(res.status).toBe(413);
    expect(res.json().detail).toMatch(/1024-byte limit/);
    expect((await client.post("/maybe", { files: {} , data: { a: "1" } })).status).toBe(200);
  });
});
