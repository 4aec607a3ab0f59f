/**
 * One WebSocket connection, top to bottom (the WebSocket counterpart of `pipeline.ts`):
 *
 *   upgrade request → check the handshake headers (400) → route it, mounted apps included (404)
 *   → solve the plan: parameters, dependencies, security — before any `accept()`
 *   → handler(args, ws): `accept()` completes the handshake, `close()` before it refuses the client
 *   → teardown of generator dependencies (with the error, if any) → the app's WebSocket exception handler for
 *     that error, if one is registered → close the socket:
 *     returned → 1000 · validation or auth failure → 1008 · bad message → 1003/1007/1008 · crash → 1011, logged
 *   → background tasks.
 *
 * HTTP middleware does not run for upgrades (it works on responses, and there is none), as in Starlette.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Context } from "../context.ts";
import { ExitStack } from "../di/exit-stack.ts";
import { solve, type ContentTypePolicy } from "../di/solve.ts";
import type { DependencyOverrides } from "../di/overrides.ts";
import { Request, type RequestLimits } from "../http/request.ts";
import type { AppScope } from "../lifespan.ts";
import type { Logger } from "../logger.ts";
import { CloseCode, WebSocketDisconnect } from "./errors.ts";
import type { WebSocketExceptionHandlers } from "./exception-handlers.ts";
import { ignore, invalidUpgrade, refuseHandshake, type Handshake } from "./handshake.ts";
import type { WebSocketMatch } from "./route.ts";
import { SETTLE, WebSocket } from "./websocket.ts";

/** What the upgrade runner needs from an app. */
export interface UpgradeApp {
  readonly limits: RequestLimits;
  readonly logger: Logger;
  readonly dependencyOverrides: DependencyOverrides;
  readonly wrongContentType: ContentTypePolicy;
  readonly appScope?: AppScope;
  /** Handlers for errors escaping a WebSocket route of this app. */
  readonly websocketExceptionHandlers?: WebSocketExceptionHandlers;
  matchWebSocket(path: string): WebSocketMatch<UpgradeApp> | null;
}

// Sessions by the app whose server received them, so shutdown can say goodbye to every client.
const sessions = new WeakMap<object, Set<WebSocket<any, any>>>();

/**
 * Handles an `upgrade` event of a `node:http` server for `app`: `server.on("upgrade", app.handleUpgrade)`.
 * `serve()` does this for you.
 *
 * @example
 * const server = http.createServer(app.handle);
 * server.on("upgrade", (req, socket, head) => handleUpgrade(app, req, socket, head));
 */
export function handleUpgrade(app: UpgradeApp, raw: IncomingMessage, socket: Duplex, head: Buffer): void {
  // A reset while dependencies are resolved must not become an uncaught 'error' event.
  socket.on("error", ignore);
  const invalid = invalidUpgrade(raw);
  if (invalid !== undefined) return refuseHandshake(socket, raw.method === "GET" ? 400 : 405, invalid);
  const request = new Request(raw, app.limits);
  if (!request.pathValid) return refuseHandshake(socket, 400, "Invalid percent-encoding in the URL path");
  const match = app.matchWebSocket(request.path);
  if (match === null) return refuseHandshake(socket, 404, "Not Found");
  request.pathParams = match.params;
  run(app, match, request, { raw, socket, head }).catch((error: unknown) => {
    app.logger.error(`Internal failure while handling the WebSocket ${request.path}`, error);
    socket.destroy();
  });
}

async function run(entry: UpgradeApp, match: WebSocketMatch<UpgradeApp>, request: Request, handshake: Handshake): Promise<void> {
  const { app, route } = match;
  const ws = new WebSocket(request, handshake, route.settings);
  let live = sessions.get(entry);
  if (live === undefined) sessions.set(entry, (live = new Set()));
  live.add(ws);
  const ctx = new Context(request);
  const exits = new ExitStack();
  let failure: unknown;
  try {
    const args = await solve(route.plan(app.dependencyOverrides), ctx, exits, app.wrongContentType, app.appScope);
    const result = route.handler(args, ws);
    if (result instanceof Promise) await result;
  } catch (error) {
    failure = error;
  }
  if (exits.size > 0) {
    if (failure === undefined) {
      try {
        await exits.close("function");
        await exits.close("request");
      } catch (error) {
        failure = error;
      }
    } else failure = await exits.unwind(failure);
  }
  // As for HTTP, exception handlers run once the dependencies have been torn down.
  const handler = failure === undefined || failure instanceof WebSocketDisconnect ? undefined : app.websocketExceptionHandlers?.find(failure);
  if (handler !== undefined) {
    try {
      await handler(ws, failure);
      failure = undefined;
    } catch (error) {
      failure = error;
    }
  }
  try {
    ws[SETTLE](failure, app.logger);
  } finally {
    live.delete(ws);
  }
  const background = ctx.peekBackground();
  if (background !== undefined) await background.run((e) => app.logger.error(`A background task of the WebSocket ${request.path} failed`, e));
}

/**
 * Closes every open WebSocket that `app`'s server accepted (default 1001 "going away"), e.g. at shutdown; returns
 * how many were open. Handlers see {@link WebSocketDisconnect} and their dependencies are torn down as usual.
 *
 * @example
 * process.on("SIGTERM", () => closeWebSockets(app));
 */
export function closeWebSockets(app: object, code: number = CloseCode.GOING_AWAY, reason = "Server shutting down"): number {
  let n = 0;
  for (const ws of sessions.get(app) ?? []) {
    if (ws.state !== "open") continue;
    n++;
    void ws.close(code, reason);
  }
  return n;
}

/** Sessions whose handler is still running, for `app` (leak checks in tests). */
export function openSessions(app: object): number {
  return sessions.get(app)?.size ?? 0;
}
