/** Helpers shared by the attack tests (fuzz regressions, slow clients, security): servers on ephemeral ports, raw sockets. */
import net from "node:net";
import { serve, type App, type Server, type ServeOptions } from "../../src/index.ts";

/** Serves `app` on a free port, quietly; stop it with `server.close()`. */
export function listen(app: App, options: ServeOptions & { workers?: undefined } = {}): Promise<Server> {
  return serve(app, { port: 0, host: "127.0.0.1", handleSignals: false, announce: false, ...options });
}

/** What a raw exchange saw: everything the server sent, and when it closed (ms after connecting). */
export interface RawResult {
  readonly text: string;
  readonly closedAfterMs: number | undefined;
}

/**
 * Writes `parts` to a fresh socket (waiting `gapMs` between them) and collects what the server sends until it
 * closes the connection or `timeoutMs` passes.
 */
export function rawRequest(port: number, parts: ReadonlyArray<string | Buffer>, { gapMs = 0, timeoutMs = 3000 } = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      clearInterval(writer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closedAfterMs: closed ? performance.now() - started : undefined });
    };
    let next = 0;
    const writeNext = () => {
      if (next < parts.length && socket.writable) socket.write(parts[next++]!);
    };
    const writer = setInterval(writeNext, Math.max(1, gapMs));
    socket.on("connect", writeNext);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => undefined);
    socket.on("close", () => done(true));
    timer = setTimeout(() => done(false), timeoutMs);
  });
}

/** The status code of the first response in a raw answer (`undefined` when there is none). */
export const statusOf = (text: string): number | undefined => {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
};

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
