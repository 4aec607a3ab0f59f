/**
 * Seed example 40 — application startup and shutdown with a lifespan.
 *
 * Code before `yield` runs before the app accepts requests, code after it once the last request has finished.
 * What the lifespan yields becomes `app.state`, typed — here the two resources, so routes can also reach them as
 * `app.state.mlModel`. `serve()` refuses to listen when startup fails, and runs shutdown on SIGTERM.
 */
import { z } from "zod";
import { App, Query } from "../../src/index.ts";

/** Where the example prints (a test swaps it). */
export const output = { print: (line: string): void => console.log(line) };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A model loaded synchronously at startup. */
export class MLModel {
  loaded = false;
  load(): void {
    this.loaded = true;
    output.print("[Startup] ML model loaded");
  }
  predict(data: string): string {
    return `prediction for: ${data}`;
  }
  unload(): void {
    this.loaded = false;
    output.print("[Shutdown] ML model unloaded");
  }
}

/** A pool opened and closed asynchronously. */
export class DatabasePool {
  pool: string | null = null;
  async connect(): Promise<void> {
    await sleep(10); // simulated pool initialization
    this.pool = "connected";
    output.print("[Startup] Database pool initialized");
  }
  async close(): Promise<void> {
    await sleep(10);
    this.pool = null;
    output.print("[Shutdown] Database pool closed");
  }
}

export const mlModel = new MLModel();
export const dbPool = new DatabasePool();

async function* lifespan() {
  // --- Startup: runs before the app accepts requests ---
  output.print("[Startup] Starting application...");
  mlModel.load();
  await dbPool.connect();
  output.print("[Startup] Application ready");

  yield { mlModel, dbPool }; // the app runs here; this value is `app.state`

  // --- Shutdown: runs after the last request, before the process exits ---
  output.print("[Shutdown] Shutting down...");
  await dbPool.close();
  mlModel.unload();
  output.print("[Shutdown] Goodbye");
}

export const app = new App({ lifespan });

app.get("/predict", { params: { data: Query(z.string()) } }, ({ data }) => {
  if (!mlModel.loaded) return { error: "Model not ready" };
  return { result: app.state.mlModel.predict(data) }; // guaranteed loaded: startup ran
});

app.get("/db-status", {}, () => ({ connected: dbPool.pool !== null }));
