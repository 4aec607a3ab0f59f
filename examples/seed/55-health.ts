/**
 * Seed example 55 — liveness and readiness endpoints.
 *
 * Liveness (`/health/live`) only says the process answers; it never touches a dependency, so a slow database
 * cannot get the pod restarted. Readiness (`/health/ready`) runs the registered checks and answers 503 while one
 * fails. Both answer 503 `shutting_down` from the moment SIGTERM arrives (`serve()` announces it), so the load
 * balancer stops sending traffic while in-flight requests finish.
 */
import { App, Health } from "../../src/index.ts";

/** Application state, updated by a background health checker in a real deployment. */
export const state = { databaseHealthy: true, cacheHealthy: true };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function checkDatabase(): Promise<boolean> {
  await sleep(1); // simulated DB ping; use the real connection in production
  return state.databaseHealthy;
}

async function checkExternalApi(): Promise<boolean> {
  return true; // in production: ping the external dependency
}

export const app = new App();

export const health = new Health(app, { checks: { database: checkDatabase, external_api: checkExternalApi } });
app.includeRouter(health.router()); // GET /health/live and GET /health/ready
