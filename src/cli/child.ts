/**
 * The serving process behind `typefast dev` (one per reload) and each worker of `typefast run --workers N`: loads
 * the entry, serves its app, tells the parent over IPC when it listens (or failed), and shuts down gracefully on
 * SIGTERM/SIGINT or when the parent goes away.
 */
import cluster from "node:cluster";
import type { App } from "../app.ts";
import { serve, type Server } from "../server/serve.ts";
import { docsPath, loadApp } from "./entry.ts";
import { formatError } from "./pretty-error.ts";

/** What a serving process tells its parent. */
export type ChildMessage =
  | { type: "typefast:ready"; pid: number; url: string; title: string; docs: string | undefined }
  | { type: "typefast:failed"; pid: number };

/** What a serving process is told to serve. */
export interface ChildOptions {
  entry: string;
  app?: string;
  host: string;
  port: number;
}

/** Encodes options as the arguments of the internal `__child` command. */
export function childArgs(options: ChildOptions): string[] {
  return ["__child", JSON.stringify(options)];
}

/**
 * Serves the app in this process and reports to the parent. Resolves once it listens; the process exits after a
 * graceful shutdown (exit code 0) or a failed start (exit code 1, after printing the error with a code frame).
 */
export async function runChild(encoded: string): Promise<void> {
  const options = JSON.parse(encoded) as ChildOptions;
  const send = (message: ChildMessage) => process.send?.(message);
  let server: Server;
  let title: string;
  let docs: string | undefined;
  try {
    const { app } = await loadApp(options.entry, options.app);
    title = app.title;
    docs = docsPath(app);
    server = await serve(app as unknown as App, { host: options.host, port: options.port, handleSignals: false, announce: false });
  } catch (error) {
    process.stderr.write(formatError(error, process.cwd(), process.stderr.isTTY === true));
    send({ type: "typefast:failed", pid: process.pid });
    // Let the IPC message leave before exiting.
    setTimeout(() => process.exit(1), 50);
    return;
  }
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${formatError(error, process.cwd())}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // A worker of `run --workers` leaves SIGHUP to the primary (a rolling restart) instead of dying on it.
  if (cluster.isWorker) process.on("SIGHUP", () => undefined);
  // The parent is gone (crashed or killed): do not linger as an orphan holding the port.
  process.on("disconnect", stop);
  send({ type: "typefast:ready", pid: process.pid, url: server.url, title, docs: docs && server.url + docs });
}
