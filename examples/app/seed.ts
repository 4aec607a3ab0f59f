/**
 * Seed data: `npx tsx examples/app/seed.ts` migrates the configured database (SQLite, or PostgreSQL when
 * `DATABASE_URL` is set) and adds the demo accounts and a small catalog when they are missing. Safe to run again.
 */
import { openDatabase } from "./db/connect.ts";
import { migrate } from "./db/migrate.ts";
import { DEMO_ACCOUNTS, seedCatalog, seedDemoUsers } from "./demo-data.ts";
import { loadSettings } from "./settings.ts";

const settings = loadSettings();
const database = openDatabase(settings);
try {
  const applied = await migrate(database);
  console.log(`Database: ${database.description}${applied.length > 0 ? ` (migrated: ${applied.join(", ")})` : " (schema up to date)"}`);
  const users = await seedDemoUsers(database.db, settings.demo_password);
  const catalog = await seedCatalog(database.db);
  console.log(`Users: ${users.length > 0 ? `created ${users.join(", ")}` : "demo accounts already present"}`);
  console.log(`Catalog: ${catalog.items} items and ${catalog.authors} authors added${catalog.items + catalog.authors === 0 ? " (not empty: left alone)" : ""}`);
  console.log(`Log in as ${DEMO_ACCOUNTS.map((a) => a.username).join(", ")} with password ${JSON.stringify(settings.demo_password)}.`);
} catch (error) {
  console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
