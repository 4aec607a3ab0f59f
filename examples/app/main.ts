/**
 * `npm start`: serves the flagship on http://127.0.0.1:8000 (PORT and HOST change it; every setting is in
 * `.env.example`). `WORKERS=N` runs N processes on the same port (see cluster.ts).
 */
import cluster from "node:cluster";
import { serve } from "../../src/index.ts";
import { DEMO_ACCOUNTS } from "./demo-data.ts";
import { runCluster } from "./cluster.ts";
import { dialectOf, loadSettings, type AppSettings } from "./settings.ts";

function banner(settings: AppSettings, url: string, database: string): string {
  const lines = [
    `${settings.app_name} is running on ${url}${settings.workers > 1 ? ` (${settings.workers} workers)` : ""}`,
    `  API docs:  ${url}/docs  (versions: ${url}/v1/docs, ${url}/v2/docs)`,
    `  Chat:      ${url}/chat    Live items: ${url}/items/events`,
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

  const startServer = async (announce: boolean): Promise<void> => {
    const app = createApp(settings);
    const server = await serve(app, { host: settings.host, port: settings.port, announce: false });
    if (announce) console.log(banner(settings, server.url, database));
  };

  if (settings.workers <= 1) return startServer(true);
  if (cluster.isPrimary && dialectOf(settings) === "sqlite") {
    console.warn("WORKERS > 1 on SQLite: the processes share one file and take turns to write. Use PostgreSQL (DATABASE_URL) for real concurrency.");
  }
  if (cluster.isPrimary && !settings.redis_url) {
    console.warn("WORKERS > 1 without REDIS_URL: each worker has its own rate limits, cache and chat room.");
  }
  await runCluster(
    {
      workers: settings.workers,
      // Migrations and demo data once, in the primary: startup then shutdown of a throwaway instance.
      prepare: async () => {
        const app = createApp(settings);
        await app.startup();
        await app.shutdown();
      },
      onListening: (url) => console.log(banner(settings, url, database)),
    },
    () => startServer(false),
  );
}

main().catch((error: unknown) => {
  console.error(`The app could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
