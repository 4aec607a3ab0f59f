/**
 * The app as users run it: `npm start` (tsx examples/app/main.ts) on a fresh directory — SQLite file created and
 * migrated, demo accounts printed and working, graceful exit on SIGTERM — the seed command, and `WORKERS=2`
 * (node:cluster) on PostgreSQL + Redis, where an item created through one worker reaches feed subscribers on both.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { dropPlace, newPlace, PG_URL, REDIS_URL, requireServices } from "./harness.ts";
import { openEvents, until } from "./streams.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const MAIN = join(ROOT, "examples/app/main.ts");
const SEED = join(ROOT, "examples/app/seed.ts");

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** The JSON log lines printed so far. */
  logs(): Array<Record<string, any>>;
  stop(): Promise<number | null>;
}

/** Runs the entry like `npm start` does, in `cwd`, and waits for its banner. */
async function start(cwd: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [TSX, MAIN], { cwd, env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "development" } });
  let out = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  child.stderr!.on("data", (chunk) => (out += chunk));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  await Promise.race([
    until(() => out.includes("is running on"), `the banner; output so far:\n${out}`, 45_000),
    exited.then((code) => Promise.reject(new Error(`the app exited (${code}) before listening:\n${out}`))),
  ]);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    logs: () => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)),
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm start on SQLite", () => {
  it("creates and migrates ./data/shop.db, prints working demo credentials, and stops cleanly", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "typefast-start-"));
    dirs.push(cwd);
    writeFileSync(join(cwd, ".env"), "# read from the working directory\nAPP_NAME=Shop from dotenv\n");
    const first = await start(cwd, {});
    try {
      expect(existsSync(join(cwd, "data", "shop.db"))).toBe(true);
      const banner = first.output();
      expect(banner).toContain(`Shop from dotenv is running on ${first.url}`);
      expect(banner).toContain(`docs:  ${first.url}/docs`);
      expect(banner).toMatch(/Demo accounts \(password: typefast-demo\)/);
      expect(first.logs().find((l) => l.msg.startsWith("Migrated"))?.msg).toContain("0001_users, 0002_items, 0003_library");
      const client = new Client(first.url);
      expect((await client.get("/docs")).status).toBe(200);
      const token = await client.token("admin", "typefast-demo");
      expect((await client.get("/admin/users", { token })).body.total).toBe(3);
      const items = (await client.get("/items")).body.items;
      expect(items.length).toBe(5);
      expect((await client.delete(`/items/${items[0].id}`, { token })).status).toBe(204);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    // Second start: same file, nothing to migrate, the deleted item stays deleted.
    const second = await start(cwd, {});
    try {
      expect(second.logs().some((l) => l.msg.startsWith("Migrated"))).toBe(false);
      expect((await new Client(second.url).get("/items")).body.items.length).toBe(4);
    } finally {
      expect(await second.stop()).toBe(0);
    }

    // The seed command: idempotent, says what it did.
    const seed = spawnSync(process.execPath, [TSX, SEED], { cwd, encoding: "utf8", env: { ...process.env, NODE_ENV: "development" } });
    expect(seed.status).toBe(0);
    expect(seed.stdout).toContain("schema up to date");
    expect(seed.stdout).toContain("demo accounts already present");
  }, 120_000);
});

describe("WORKERS=2 on PostgreSQL and Redis", () => {
  it("serves from two processes, shares the live feed between them, and drains on SIGTERM", async () => {
    await requireServices("postgres");
    const place = newPlace("postgres");
    dirs.push(place.dir);
    const running = await start(place.dir, {
      WORKERS: "2",
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: place.schema,
      REDIS_URL,
      REDIS_PREFIX: place.redisPrefix,
      DEMO_PASSWORD: "cluster-demo-pw",
    });
    const streams: Awaited<ReturnType<typeof openEvents>>[] = [];
    try {
      expect(running.output()).toContain("(2 workers)");
      // Each event stream holds its connection, so each opens a new one: the primary deals them out round-robin.
      const pidOf = (id: string) => running.logs().find((l) => l.request_id === id)?.pid as number | undefined;
      for (let i = 0; i < 6 && new Set(streams.map((_, j) => pidOf(`sse-${j}`))).size < 2; i++) {
        const stream = await openEvents(`${running.url}/items/events`, { "x-request-id": `sse-${i}` });
        await stream.waitFor((e) => e.comment === "subscribed", "the subscription");
        await until(() => pidOf(`sse-${i}`) !== undefined, "the access-log line of the stream");
        streams.push(stream);
      }
      const pids = new Set(streams.map((_, j) => pidOf(`sse-${j}`)));
      expect(pids.size).toBe(2);
      expect(pids.has(running.child.pid)).toBe(false); // the primary only supervises

      const client = new Client(running.url);
      const token = await client.token("demo", "cluster-demo-pw");
      const item = (await client.post("/items", { token, json: { name: "Cross-process", price: 1 } })).body;
      for (const stream of streams) {
        const event = await stream.waitFor((e) => e.event === "item", "the item on every worker's stream");
        expect(JSON.parse(event.data!).id).toBe(item.id);
      }
    } finally {
      for (const stream of streams) stream.close();
      expect(await running.stop()).toBe(0);
      await dropPlace(place);
    }
  }, 120_000);
});
