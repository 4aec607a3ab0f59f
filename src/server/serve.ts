import cluster from "node:cluster";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import type { App } from "../app.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { closeWebSockets } from "../websocket/upgrade.ts";
import { checkWorkers, runPrimaryHook, servePrimary, type ClusterPrimary } from "./primary.ts";

/**
 * During a drain, a keep-alive connection idle when it began stays open this long (at most the keep-alive timeout):
 * a client busy sending requests sends its next one meanwhile and gets the answer with `Connection: close`, instead
 * of having that request cut on a socket the server closed under it. What is still idle after that is closed: long
 * enough for a client looping over requests across a network, short enough not to hold a shutdown up.
 */
const IDLE_GRACE_MS = 250;

/** Servers of this process shutting down after a signal; the last one to finish exits the process. */
let stopping = 0;

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
  /**
   * Install SIGTERM/SIGINT handlers that shut down gracefully (default `true`). With `workers` it applies to the
   * primary (and its SIGHUP); a worker always drains on the signal its primary sends to stop it.
   */
  handleSignals?: boolean;
  /** Print the listening URL (default `true`; in a worker of `workers`, `false`: the primary announces). */
  announce?: boolean;
  /**
   * Serve from this many processes (1–256) on `node:cluster`, all on the same port. The process that calls
   * `serve()` becomes the primary: it forks the workers (each runs the same entry, so reaches this `serve()` call
   * and serves `app`), replaces one that dies, stops them gracefully on SIGTERM/SIGINT and replaces them one at a
   * time on SIGHUP. Workers share no memory: keep shared state in a database or Redis. Unset: this process serves.
   */
  workers?: number;
  /**
   * Runs once before any process starts the app: in the primary, before the workers are forked (so they do not
   * race over migrations); without `workers`, in this process before the app's startup. A failure rejects
   * `serve()` with `TF_PRIMARY_FAILED` and nothing is served.
   */
  primary?: () => unknown;
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
 * With `workers`, the same call runs in every process of a `node:cluster`: in the primary it runs the `primary`
 * hook, forks the workers and resolves to a {@link ClusterPrimary} once they all listen; in each worker it serves
 * `app` and resolves to that worker's {@link Server}. Send the primary SIGHUP for a rolling restart.
 *
 * @example
 * const server = await serve(app, { port: 8000 });
 *
 * @example
 * // main.ts: 4 processes on port 8000; migrations once, before any of them starts.
 * await serve(app, { port: 8000, workers: 4, primary: () => migrate(databaseUrl) });
 */
export async function serve(app: App, options?: ServeOptions & { workers?: undefined }): Promise<Server>;
export async function serve(app: App, options: ServeOptions): Promise<Server | ClusterPrimary>;
export async function serve(app: App, options: ServeOptions = {}): Promise<Server | ClusterPrimary> {
  if (options.workers === undefined) {
    if (options.primary !== undefined) await runPrimaryHook(app, options.primary);
    return listen(app, options, false);
  }
  checkWorkers(options.workers);
  if (cluster.isPrimary) return servePrimary(app, options, options.workers);
  return listen(app, options, true);
}

const LATEST_RESPONSE: unique symbol = Symbol("typefast.latestResponse");
type SocketWithResponse = net.Socket & { [LATEST_RESPONSE]?: http.ServerResponse };

/** Starts the app and serves it in this process: alone, or as one `worker` of a cluster. */
async function listen(app: App, options: ServeOptions, worker: boolean): Promise<Server> {
  const host = options.host ?? process.env.HOST ?? "127.0.0.1";
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 8000);
  await startOrExplain(app);
  let draining = false;
  // Each open connection remembers its latest response. When a drain begins, those whose head is not written yet
  // are told to say `Connection: close`, and so is every response to a request arriving during the drain: the
  // client then sends nothing more on a connection that is about to close. (A ServerResponse subclass overriding
  // writeHead would be simpler, but costs about 15 % CPU per request; a Map keyed by socket costs a hash insert per
  // request; this costs one property write.)
  const sockets = new Set<SocketWithResponse>();
  const headersTimeout = options.headersTimeout ?? 30_000;
  const requestTimeout = options.requestTimeout ?? 300_000;
  const server = http.createServer(
    {
      keepAliveTimeout: options.keepAliveTimeout ?? 5000,
      headersTimeout,
      requestTimeout,
      maxHeaderSize: options.maxHeaderSize,
      connectionsCheckingInterval: checkingInterval(headersTimeout, requestTimeout),
    },
    (req, res) => {
      (req.socket as SocketWithResponse)[LATEST_RESPONSE] = res;
      if (draining) res.setHeader("connection", "close");
      app.handle(req, res);
    },
  );
  server.on("connection", (socket: SocketWithResponse) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
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
  if (options.announce ?? !worker) app.logger.info(`${app.title} is listening on ${url} (docs at ${url}/docs)`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      app.beginShutdown();
      const delay = options.shutdownDelay ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      draining = true;
      for (const socket of sockets) {
        const res = socket[LATEST_RESPONSE];
        if (res !== undefined && !res.headersSent) res.setHeader("connection", "close");
      }
      // Stop accepting. Not `server.close()`: since Node 19 it also closes idle keep-alive connections at once,
      // and a client may be sending its next request on one of them at that very moment: that request would be
      // lost. In a cluster worker this also tells the primary to send its connections to the other workers.
      const done = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      // Upgraded sockets are no longer HTTP connections: say goodbye (1001) so they end and `done` can resolve.
      closeWebSockets(app);
      // Event streams never end by themselves: end them cleanly now (clients reconnect elsewhere) rather than cut
      // them when the graceful timeout runs out.
      app.endEventStreams();
      const keepAlive = options.keepAliveTimeout ?? 5000;
      let sweep: NodeJS.Timeout | undefined;
      // After the grace, what is still idle is closed, and so is — every 50 ms — a connection whose streamed
      // response (headers sent before the drain, so without `Connection: close`) has just ended.
      const idle = setTimeout(() => {
        server.closeIdleConnections();
        sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
      }, Math.min(IDLE_GRACE_MS, keepAlive));
      idle.unref();
      const grace = options.gracefulTimeout ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          app.logger.warn(`gracefulTimeout of ${grace} ms exceeded: closing the connections still open`);
          server.closeAllConnections();
          resolve();
        }, grace);
        timer.unref();
      });
      await Promise.race([done, cut]);
      clearTimeout(idle);
      clearInterval(sweep);
      clearTimeout(timer);
      removeSignals();
      await app.shutdown();
    })());

  const onSignal = (signal: NodeJS.Signals) => {
    app.logger.info(`${worker ? `Worker ${process.pid}: ` : ""}${signal} received: finishing in-flight requests, then shutting down`);
    stopping++;
    close()
      .then(
        () => 0,
        (error) => {
          app.logger.error("Shutdown failed", error);
          return 1;
        },
      )
      .then((code) => {
        if (code !== 0) process.exitCode = code;
        // Exit explicitly once drained: what is left — a handler stuck past gracefulTimeout and its timers, a pool
        // nobody closed, a worker's IPC channel to its primary — must not keep a stopped server's process alive.
        // With several servers in one process, the last one to finish its shutdown ends it.
        if (--stopping === 0) process.exit();
      });
  };
  // A worker leaves SIGHUP to its primary (a rolling restart); by default it would kill the worker on the spot.
  const onHangup = () => undefined;
  // A worker always drains on the signal its primary sends to stop it: `handleSignals` is the primary's choice.
  const handleSignals = worker || (options.handleSignals ?? true);
  const removeSignals = () => {
    if (!handleSignals) return;
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    if (worker) process.off("SIGHUP", onHangup);
  };
  if (handleSignals) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    if (worker) process.on("SIGHUP", onHangup);
  }
  return { url, port: address.port, server, close };
}

/**
 * How often Node looks for connections past `headersTimeout`/`requestTimeout`. Node only checks every 30 s by
 * default, so a 1 s `headersTimeout` would let a slowloris client hold its connection for up to 30 s: check ten
 * times per shortest timeout instead, so a connection is cut at most 10 % late.
 */
function checkingInterval(headersTimeout: number, requestTimeout: number): number {
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((t) => t > 0), 300_000);
  return Math.min(30_000, Math.max(10, Math.floor(shortest / 10)));
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
