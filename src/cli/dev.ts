/**
 * `typefast dev`: serves the app in a child process and restarts it when a file under the entry's folder or `src/`
 * changes, printing how long the reload took. A child that fails to start prints the error with a code frame;
 * the watcher then waits for the next change.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { childArgs, type ChildMessage, type ChildOptions } from "./child.ts";
import { LAUNCHER, type Output } from "./io.ts";
import { IGNORED_DIRS, watchTree } from "./watch.ts";

/** Options of {@link dev}. */
export interface DevOptions extends ChildOptions {
  /** More folders to watch (the entry's folder and `src/` are always watched). */
  watch?: readonly string[];
  /** Working directory (default `process.cwd()`). */
  cwd?: string;
}

/** Files whose change triggers a reload. */
const WATCHED = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".env"]);
const DEBOUNCE_MS = 60;
const KILL_AFTER_MS = 5000;

/**
 * Runs the development server until SIGINT/SIGTERM; resolves to the exit code.
 *
 * @example await dev({ entry: "/srv/shop/main.ts", host: "127.0.0.1", port: 8000 }, console);
 */
export async function dev(options: DevOptions, out: Output): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const folders = [...new Set([dirname(options.entry), join(cwd, "src"), ...(options.watch ?? []).map((w) => join(cwd, w))])].filter((f) => existsSync(f));
  const shown = folders.map((f) => relative(cwd, f) || ".").join(", ");
  out.info(`typefast dev: serving ${relative(cwd, options.entry)}, watching ${shown} for changes`);

  let child: ChildProcess | undefined;
  let launching: ChildProcess | undefined; // started, not yet ready or failed
  const retired = new WeakSet<ChildProcess>(); // stopped on purpose: their exit is not news
  let busy = false; // a reload is in progress (stopping the old child or launching the new one)
  let changedAt: number | undefined; // when the reload in progress was triggered
  let pending: string | undefined; // a change seen during a reload
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const start = (reason: "start" | "reload") => {
    busy = true;
    const began = changedAt ?? performance.now();
    const proc = spawn(process.execPath, [...process.execArgv, LAUNCHER, ...childArgs(options)], {
      cwd,
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    child = launching = proc;
    proc.on("message", (message: ChildMessage) => {
      if (proc !== launching) return;
      launching = undefined;
      if (message.type === "typefast:ready") {
        const ms = Math.round(performance.now() - began);
        const docs = message.docs ? ` — docs at ${message.docs}` : "";
        if (reason === "start") out.info(`Serving ${message.title} at ${message.url}${docs} (started in ${ms} ms)`);
        else out.info(`reloaded in ${ms} ms — ${message.url}${docs}`);
      } else {
        retired.add(proc);
        out.error("The app failed to start (see above); waiting for a change to reload…");
      }
      finish();
    });
    proc.on("exit", (code, signal) => {
      if (child === proc) child = undefined;
      if (proc === launching) {
        launching = undefined;
        out.error(`The app exited before listening (${signal ?? `code ${code}`}); waiting for a change to reload…`);
        finish();
      } else if (!retired.has(proc) && !stopped) out.error(`The app exited (${signal ?? `code ${code}`}); waiting for a change to reload…`);
    });
  };

  const finish = () => {
    busy = false;
    changedAt = undefined;
    if (pending !== undefined && !stopped) {
      const file = pending;
      pending = undefined;
      void restart(file);
    }
  };

  const restart = async (file: string) => {
    if (busy) {
      pending = file;
      return;
    }
    busy = true;
    changedAt = performance.now();
    out.info(`Change in ${relative(cwd, file)}: reloading…`);
    if (child !== undefined) retired.add(child);
    await stopChild(child);
    if (!stopped) start("reload");
  };

  const onChange = (file: string) => {
    if (stopped || !WATCHED.has(extname(file)) || relative(cwd, file).split(/[/\\]/).some((part) => IGNORED_DIRS.has(part))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void restart(file), DEBOUNCE_MS);
  };

  const unwatch = watchTree(folders, onChange);
  start("start");

  return new Promise<number>((resolve) => {
    const shutdown = async () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      unwatch();
      if (child !== undefined) retired.add(child);
      await stopChild(child);
      resolve(0);
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
}

/** Asks a child to shut down gracefully, and kills it if it has not exited after a while. */
export function stopChild(proc: ChildProcess | undefined): Promise<void> {
  if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill("SIGKILL"), KILL_AFTER_MS);
    proc.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}
