/**
 * Counts the queries each request makes (and their time), through kysely's `log` hook and a request-scoped
 * context variable: the access log and the `Server-Timing` header report them, and the tests use them to prove
 * that eager loading does not degrade into N+1 queries.
 */
import type { LogEvent } from "kysely";
import { ContextVar } from "../../../src/index.ts";

/** One request's database work. */
export interface QueryStats {
  count: number;
  ms: number;
}

/** The current request's stats; set by the access-log middleware, `undefined` outside a request. */
export const queryStatsVar = new ContextVar<QueryStats | undefined>("db_query_stats", { default: undefined });

/** Every query the process ran, for scripts and benchmarks. */
export const totals: QueryStats = { count: 0, ms: 0 };

/**
 * The kysely `log` callback: counts the query for the current request. `debug` (optional) receives the SQL.
 * The callback runs in the async context of the code that awaited the query, so the request's stats are found.
 */
export function queryLogger(debug?: (message: string) => void): (event: LogEvent) => void {
  return (event) => {
    totals.count++;
    totals.ms += event.queryDurationMillis;
    const stats = queryStatsVar.peek();
    if (stats !== undefined) {
      stats.count++;
      stats.ms += event.queryDurationMillis;
    }
    if (debug !== undefined) debug(`${event.level === "error" ? "failed " : ""}SQL (${event.queryDurationMillis.toFixed(2)} ms): ${event.query.sql}`);
  };
}
