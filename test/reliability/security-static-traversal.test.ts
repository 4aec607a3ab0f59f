/**
 * Path traversal against `StaticFiles` over raw HTTP (a client library would normalize `../` before sending): every
 * way of spelling "the parent directory" is refused with 404 (or 400 for invalid encoding) and never shows the
 * file that sits next to the served directory.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, StaticFiles, type Server } from "../../src/index.ts";
import { listen, rawRequest, statusOf } from "./attack-helpers.ts";

const SECRET = "contents-of-the-file-next-to-the-static-directory";
const base = mkdtempSync(path.join(tmpdir(), "typefast-traversal-"));
let server: Server;

beforeAll(async () => {
  const root = path.join(base, "public");
  mkdirSync(path.join(root, "sub"), { recursive: true });
  writeFileSync(path.join(root, "hello.txt"), "hello");
  writeFileSync(path.join(root, "sub", "page.txt"), "page");
  writeFileSync(path.join(base, "secret.txt"), SECRET);
  symlinkSync(path.join(base, "secret.txt"), path.join(root, "link.txt"));
  symlinkSync(base, path.join(root, "up"));
  const app = new App();
  app.mount("/static", new StaticFiles({ directory: root }));
  app.mount("/site", new StaticFiles({ directory: root, html: true }));
  server = await listen(app);
});
afterAll(async () => {
  await server.close();
  rmSync(base, { recursive: true, force: true });
});

async function get(target: string, method = "GET"): Promise<{ status: number | undefined; text: string }> {
  const { text } = await rawRequest(server.port, [`${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
  return { status: statusOf(text), text };
}

const ATTACKS = [
  "../secret.txt",
  "../../secret.txt",
  "..%2fsecret.txt",
  "..%2Fsecret.txt",
  "%2e%2e/secret.txt",
  "%2e%2e%2fsecret.txt",
  "%2E%2E%2Fsecret.txt",
  ".%2e/secret.txt",
  "%2e./secret.txt",
  "%252e%252e%252fsecret.txt",
  "%252e%252e/secret.txt",
  "..%5csecret.txt",
  "..%5Csecret.txt",
  "..\\secret.txt",
  "sub\\..\\..\\secret.txt",
  "sub/..%2f..%2fsecret.txt",
  "sub/%2e%2e/%2e%2e/secret.txt",
  "./../secret.txt",
  "//..//secret.txt",
  "%2f..%2fsecret.txt",
  "hello.txt%00",
  "hello.txt%00.png",
  "%00../secret.txt",
  "..%00/secret.txt",
  "%c0%ae%c0%ae/secret.txt",
  "%c0%af..%c0%afsecret.txt",
  "%e0%80%ae%e0%80%ae/secret.txt",
  "..%u2216secret.txt",
  "\u2025/secret.txt",
  "link.txt",
  "up/secret.txt",
  "up/public/hello.txt/../../secret.txt",
  `${base}/secret.txt`,
  `%2f${base.slice(1).replace(/\//g, "%2f")}%2fsecret.txt`,
];

describe("static files: path traversal", () => {
  it("serves a file inside the directory (control)", async () => {
    expect(await get("/static/hello.txt")).toMatchObject({ status: 200 });
    expect(await get("/static/sub/page.txt")).toMatchObject({ status: 200 });
  });

  it.each(ATTACKS)("refuses /static/%s", async (attack) => {
    for (const prefix of ["/static/", "/site/"]) {
      for (const method of ["GET", "HEAD"]) {
        const { status, text } = await get(prefix + attack.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)), method);
        expect([400, 404]).toContain(status);
        expect(text).not.toContain(SECRET);
      }
    }
  });

  it.each(["/static..%2fsecret.txt", "/static%2f..%2fsecret.txt", "/static/..", "/static/%2e%2e", "/static..", "/site/../secret.txt"])("refuses mount-prefix tricks: %s", async (target) => {
    const { status, text } = await get(target);
    expect([400, 404]).toContain(status);
    expect(text).not.toContain(SECRET);
  });
});
