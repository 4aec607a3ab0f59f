/**
 * Structured logs (seed example 49): one JSON object per line, stamped with the request id from the request
 * context, so a log pipeline can gather every line of one request — and one access-log line per request with its
 * status, duration and database work.
 */
import { currentUserVar, requestIdVar, type Logger, type MiddlewareFn } from "../../src/index.ts";
import { queryStatsVar, type QueryStats } from "./db/query-stats.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
/** Where log lines go (default: standard output). */
export type LogSink = (line: string) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The framework's `Logger`, plus `debug` and `event` (a line with extra fields). */
export interface AppLogger extends Logger {
  debug(message: string): void;
  event(level: Exclude<LogLevel, "silent">, message: string, fields: Record<string, unknown>): void;
}

/**
 * A JSON-lines logger: `{"time","level","pid","request_id","msg",…}`. Errors carry their name, message and stack.
 *
 * @example
 * const log = jsonLogger("info");
 * log.event("info", "item created", { item_id: 42 });
 */
export function jsonLogger(level: LogLevel, sink: LogSink = (line) => void process.stdout.write(line + "\n")): AppLogger {
  const threshold = RANK[level];
  const write = (lvl: Exclude<LogLevel, "silent">, msg: string, fields: Record<string, unknown> = {}): void => {
    if (RANK[lvl] < threshold) return;
    const requestId = requestIdVar.peek();
    const line: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, pid: process.pid };
    if (requestId !== undefined) line.request_id = requestId;
    line.msg = msg;
    sink(JSON.stringify(Object.assign(line, fields)));
  };
  return {
    debug: (message) => write("debug", message),
    info: (message) => write("info", message),
    warn: (message) => write("warn", message),
    error: (message, error) => write("error", message, error === undefined ? {} : { error: describeError(error) }),
    event: write,
  };
}

function describeError(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, stack: error.stack };
}

/**
 * The access log and `Server-Timing` middleware. It must run inside `RequestIdMiddleware` (add it first), so its
 * line carries the request id and the query counter has a request context to live in.
 */
export function accessLog(logger: AppLogger, options: { serverTiming: boolean }): MiddlewareFn {
  return async (request, callNext) => {
    const started = performance.now();
    const stats: QueryStats = { count: 0, ms: 0 };
    queryStatsVar.set(stats);
    const response = await callNext(request);
    const ms = performance.now() - started;
    if (options.serverTiming) {
      // RFC-less but widely supported (W3C Server Timing): browsers show it in the network panel.
      response.headers["server-timing"] = `db;dur=${stats.ms.toFixed(2)};desc="${stats.count} queries", app;dur=${ms.toFixed(2)}`;
    }
    const user = currentUserVar.peek() as { username?: string } | undefined;
    logger.event(response.status >= 500 ? "error" : "info", "request", {
      method: request.method,
      path: request.path,
      status: response.status,
      duration_ms: Math.round(ms * 100) / 100,
      db_queries: stats.count,
      db_ms: Math.round(stats.ms * 100) / 100,
      ...(user?.username === undefined ? {} : { user: user.username }),
    });
    return response;
  };
}
