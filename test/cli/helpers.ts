/**
 * Helpers for the CLI tests: throwaway projects in a temp folder (an entry importing this checkout's Typefast),
 * and the real launcher spawned as a child process with its output collected.
 */
import { spawn } from "node:child_process";
import { watchOutput, type Spawned } from "../server/spawned.ts";
import http from "node:http";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const LAUNCHER = join(ROOT, "bin", "typefast.mjs");
/** The import specifier of this checkout's public API, for generated entries. */
export const TYPEFAST = JSON.stringify(join(ROOT, "src", "index.ts"));

/** A temp project: `files` are written relative to it (with a `package.json` of `"type": "module"`). */
export async function project(files: Record<string, string>): Promise<{ dir: string; write(path: string, text: string): Promise<void>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "typefast-cli-"));
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  await write("package.json", '{ "type": "module" }\n');
  for (const [path, text] of Object.entries(files)) await write(path, text);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An entry exporting an app whose `GET /hello` answers `{ message }` and `GET /pid` the serving process id. */
export function appSource(message: string, extra = ""): string {
  return `import { App } from ${TYPEFAST};
export const app = new App({ title: "CLI fixture" });
app.get("/hello", {}, function hello() { return { message: ${JSON.stringify(message)} }; });
app.get("/pid", {}, function pid() { return { pid: process.pid }; });
app.get("/slow", {}, async function slow() { await new Promise((r) => setTimeout(r, 1500)); return { done: true }; });
${extra}`;
}

/** A running launcher: its combined output so far, and waiting for a line to appear. */
/** A spawned launcher with its output collected. */
export type Launched = Spawned;

/** Spawns `node bin/typefast.mjs ...args` in `cwd`. */
export function launch(args: string[], cwd: string): Launched {
  const proc = spawn(process.execPath, [LAUNCHER, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return watchOutput(proc, "The launcher");
}

/** GET `url` on a fresh connection (so a cluster spreads requests over its workers); resolves to the JSON body. */
export function getJson(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    }).on("error", reject);
  });
}
