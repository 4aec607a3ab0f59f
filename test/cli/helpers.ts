/**
 * Helpers for the CLI tests: throwaway projects in a temp folder (an entry importing this checkout's Typefast),
 * and the real launcher spawned as a child process with its output collected.
 */
import { spawn, type ChildProcess } from "node:child_process";
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
export interface Launched {
  readonly proc: ChildProcess;
  output(): string;
  /** Resolves with the match once `pattern` appears in the output after `from` characters. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name). */
  exited(): Promise<number | string>;
}

/** Spawns `node bin/typefast.mjs ...args` in `cwd`. */
export function launch(args: string[], cwd: string): Launched {
  const proc = spawn(process.execPath, [LAUNCHER, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const exit = new Promise<number | string>((resolve) => proc.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    output: () => text,
    waitFor(pattern, timeoutMs = 45_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.slice(from).match(pattern);
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(() => setTimeout(() => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`The launcher exited while waiting for ${pattern}; output:\n${text}`));
          }
        }, 50));
        check();
      });
    },
    exited: () => exit,
  };
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
