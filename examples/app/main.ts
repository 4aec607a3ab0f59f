/**
 * `npm start`: serves the flagship on http://127.0.0.1:8000 (PORT and HOST change it; every setting is in
 * `.env.example`). `WORKERS=N` runs N processes on the same port with `serve({ workers })`: the primary prepares
 * the database once, then supervises the workers; `kill -HUP <primary pid>` replaces them one at a time.
 */
import cluster from "node:cluster";
import { serve } from "../../src/index.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";
import { dialectOf, loadSettings, type AppSettings } from "./settings.ts";

function banner(settings: AppSettings, url: string, database: string): string {
  const lines = [
    `${settings.app_name} is running on ${url}${settings.workers > 1 ? ` (${settings.workers} workers)` : ""}`,
    `  API docs:  ${url}/docs  (versions: ${url}/v1/docs, ${url}/v2/docs)`,
    `  Chat:      ${url}/chat    Live items: ${url}/items/events`,
    ...(settings.workers > 1 ? [`  Workers:   ${settings.workers} processes; primary pid ${process.pid} (\`kill -HUP ${process.pid}\` replaces them one at a time)`] : []),
    `  Database:  ${database}`,
    `  Redis:     ${settings.redis_url ? "on (rate limits, cache, chat and feed shared across processes)" : "off (in-memory rate limits, cache and pub/sub: one process)"}`,
  ];
  if (settings.seed_demo_data) {
    lines.push(`  Demo accounts (password: ${settings.demo_password}) — click Authorize in the docs:`);
    for (const account of DEMO_ACCOUNTS) lines.push(`    ${account.username.padEnd(8)} ${account.what}`);
  }
  lines.push("  Sample data: npx tsx examples/app/seed.ts    Stop: Ctrl+C");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const { createApp } = await import("./app.ts");
  const database = dialectOf(settings) === "postgres" ? `PostgreSQL, schema ${settings.database_schema}` : `SQLite file ${settings.sqlite_path}`;
  const workers = settings.workers > 1 ? settings.workers : undefined;
  if (workers !== undefined && cluster.isPrimary) {
    if (dialectOf(settings) === "sqlite") console.warn("WORKERS > 1 on SQLite: the processes share one file and take turns to write. Use PostgreSQL (DATABASE_URL) for real concurrency.");
    if (!settings.redis_url) console.warn("WORKERS > 1 without REDIS_URL: each worker has its own rate limits, cache and chat room.");
  }

  const server = await serve(createApp(settings), {
    host: settings.host,
    port: settings.port,
    announce: false,
    workers,
    // Migrations and demo data once, in the primary, before any worker starts: the startup and shutdown of a
    // throwaway instance. One process alone does the same in its own startup, so it needs no hook.
    primary:
      workers === undefined
        ? undefined
        : async () => {
            const app = createApp(settings);
            await app.startup();
            await app.shutdown();
          },
  });
  if (cluster.isPrimary) console.log(banner(settings, server.url, database));
}

main().catch((error: unknown) => {
  console.error(`The app could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
