import http from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "../app.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { closeWebSockets } from "../websocket/upgrade.ts";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Interface to bind (default `process.env.HOST` or `127.0.0.1`). */
  host?: string;
  /** Port (default `process.env.PORT` or 8000; 0 picks a free one). */
  port?: number;
  /** Idle keep-alive connections are closed after this many ms (default 5000, Node's own). */
  keepAliveTimeout?: number;
  /** The whole request head must arrive within this many ms (default 30 000): slowloris guard. */
  headersTimeout?: number;
  /** The whole request (head and body) must arrive within this many ms (default 300 000). */
  requestTimeout?: number;
  /** Largest request head in bytes (default Node's 16 KiB); larger answers 431. */
  maxHeaderSize?: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take before connections are cut (default 10 000 ms). */
  gracefulTimeout?: number;
  /**
   * On SIGTERM/SIGINT, keep accepting requests this many ms with readiness already answering 503, so the load
   * balancer stops routing here before connections are refused (default 0).
   */
  shutdownDelay?: number;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully (default `true`). */
  handleSignals?: boolean;
  /** Print the listening URL (default `true`). */
  announce?: boolean;
}

/** A running server. */
export interface Server {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** Stops accepting, lets in-flight requests finish (up to the graceful timeout), then runs the app's shutdown. */
  close(): Promise<void>;
}

/**
 * Serves `app` on `node:http`: runs the app's startup first (a failing startup rejects, so the process can exit
 * non-zero with the message), then listens; on SIGTERM/SIGINT stops accepting, finishes in-flight requests, runs
 * shutdown and lets the process exit.
 *
 * @example
 * const server = await serve(app, { port: 8000 });
 */
export async function serve(app: App, options: ServeOptions = {}): Promise<Server> {
  const host = options.host ?? process.env.HOST ?? "127.0.0.1";
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 8000);
  await startOrExplain(app);
  const server = http.createServer(
    {
      keepAliveTimeout: options.keepAliveTimeout ?? 5000,
      headersTimeout: options.headersTimeout ?? 30_000,
      requestTimeout: options.requestTimeout ?? 300_000,
      maxHeaderSize: options.maxHeaderSize,
    },
    app.handle,
  );
  // WebSocket handshakes arrive on the same server and port.
  server.on("upgrade", app.handleUpgrade);
  // Malformed requests (bad request line, oversized head) are answered by Node itself: 400/431, then close.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  if (options.announce ?? true) app.logger.info(`${app.title} is listening on ${url} (docs at ${url}/docs)`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      app.beginShutdown();
      const delay = options.shutdownDelay ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Upgraded sockets are no longer HTTP connections: say goodbye (1001) so they end and `done` can resolve.
      closeWebSockets(app);
      const grace = options.gracefulTimeout ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, grace);
        timer.unref();
      });
      // A keep-alive connection whose last request finishes during the drain would otherwise stay open until its
      // keep-alive timeout: close connections as soon as they go idle.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      sweep.unref();
      await Promise.race([done, cut]);
      clearInterval(sweep);
      clearTimeout(timer);
      removeSignals();
      await app.shutdown();
    })());

  const onSignal = (signal: NodeJS.Signals) => {
    app.logger.info(`${signal} received: finishing in-flight requests, then shutting down`);
    close().then(
      () => (process.exitCode ??= 0),
      (error) => {
        app.logger.error("Shutdown failed", error);
        process.exitCode = 1;
      },
    );
  };
  const handleSignals = options.handleSignals ?? true;
  const removeSignals = () => {
    if (!handleSignals) return;
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  };
  if (handleSignals) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  return { url, port: address.port, server, close };
}

/**
 * Runs the app's startup. A failure is logged with a clear message, the process exit code is set to 1 (so a
 * process manager sees the failure even if the caller swallows it), whatever did start is shut down, and the call
 * rejects with `TF_STARTUP_FAILED` carrying the original error as `cause`.
 */
async function startOrExplain(app: App): Promise<void> {
  try {
    await app.startup();
  } catch (error) {
    process.exitCode = 1;
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Application startup failed: ${reason}. ${app.title} was not started.`;
    app.logger.error(message, error);
    await app.shutdown().catch(() => undefined);
    const failure = new TypefastError("TF_STARTUP_FAILED", message);
    (failure as Error & { cause?: unknown }).cause = error;
    throw failure;
  }
}
