/**
 * `serve(app, { workers })` with real processes: the primary hook runs once before any worker, requests are
 * answered by two workers, a killed worker is replaced, SIGHUP replaces every worker without refusing a request,
 * SIGTERM drains in-flight requests and exits 0, and workers that cannot start make the primary give up.
 */
import cluster from "node:cluster";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { App, MAX_WORKERS, serve, TypefastError } from "../../src/index.ts";
import { alive, gone, pidAt, request, spawnTs, steadyLoad, type Spawned } from "./spawned.ts";

const FIXTURE = "test/server/fixtures/workers-app.ts";
const BANNER = /Workers fixture is listening on (http:\/\/\S+) with 2 workers \(pids (\d+), (\d+); primary (\d+)\)/;
const dir = mkdtempSync(join(tmpdir(), "typefast-workers-"));
const running: Spawned[] = [];
afterAll(() => {
  for (const p of running) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Spawned {
  const started = spawnTs(FIXTURE, env);
  running.push(started);
  return started;
}

/** Distinct processes answering `GET /pid` over `tries` fresh connections. */
async function answering(url: string, tries = 12): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) pids.add(await pidAt(url));
  return pids;
}

describe("serve({ workers: 2 })", () => {
  it("runs the primary hook once, then serves from two workers; replaces a killed one; rolls on SIGHUP; drains on SIGTERM", { timeout: 180_000 }, async () => {
    const events = join(dir, "events.txt");
    const served = start({ WORKERS: "2", EVENTS: events });
    const [, url, first, second, primary] = await served.waitFor(BANNER);
    expect(Number(primary)).toBe(served.proc.pid);

    // The hook ran once, in the primary, before either worker started the app.
    const lines = readFileSync(events, "utf8").trim().split("\n");
    expect(lines[0]).toBe(`primary ${primary}`);
    expect(lines.slice(1).sort()).toEqual([`startup ${first}`, `startup ${second}`].sort());

    // Fresh connections are dealt to both workers; the primary answers none.
    expect(await answering(url)).toEqual(new Set([Number(first), Number(second)]));

    // A killed worker is replaced and the port keeps answering.
    let mark = served.output().length;
    process.kill(Number(first), "SIGKILL");
    const [, replacement] = await served.waitFor(/Worker (\d+) is serving/, 60_000, mark);
    expect(served.output().slice(mark)).toContain(`Worker ${first} died (SIGKILL); starting a new one`);
    expect(await answering(url)).toEqual(new Set([Number(second), Number(replacement)]));

    // SIGHUP: every worker replaced one at a time, while keep-alive clients keep getting answers.
    mark = served.output().length;
    const load = steadyLoad(`${url}/pid`, 3, () => ({ method: "GET" }));
    served.proc.kill("SIGHUP");
    const [, now] = await served.waitFor(/Rolling restart done: 2 workers replaced \(now (\d+, \d+)\)/, 90_000, mark);
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect([...report.statuses.keys()]).toEqual([200]);
    const fresh = new Set(now.split(", ").map(Number));
    expect(fresh.has(Number(second)) || fresh.has(Number(replacement))).toBe(false);
    await gone(Number(second));
    await gone(Number(replacement));
    expect(await answering(url)).toEqual(fresh);
    expect(readFileSync(events, "utf8").match(/^primary /gm)).toHaveLength(1); // no hook on a restart

    // SIGTERM: a request in flight finishes with 200, then everything exits 0.
    const slow = request(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    mark = served.output().length;
    served.proc.kill("SIGTERM");
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ done: true });
    expect(await served.exited()).toBe(0);
    expect(served.output().slice(mark)).toContain("SIGTERM received: stopping 2 workers gracefully");
    expect(served.output().slice(mark)).toContain("All workers stopped; shut down cleanly");
    for (const pid of fresh) expect(alive(pid)).toBe(false);
  });

  it("gives up when workers keep failing to start, and serve() rejects in the primary with the reason", { timeout: 120_000 }, async () => {
    const failing = start({ WORKERS: "2", FAIL_STARTUP: "1" });
    expect(await failing.exited()).toBe(1);
    const output = failing.output();
    expect(output).toContain("Application startup failed: the database is down.");
    expect(output).toContain("5 workers in a row failed to start: giving up (see the errors above).");
    expect(output).toMatch(/could not serve: 5 worker processes in a row exited before they listened: fix the error they printed above/);
  });

  it("is driven from code with handleSignals: false: restart() replaces every worker, close() stops them all", { timeout: 120_000 }, async () => {
    const scripted = start({ WORKERS: "2", BY_CODE: "1" });
    const [line] = await scripted.waitFor(/^\{"before".*$/m, 90_000);
    expect(await scripted.exited()).toBe(0);
    const seen = JSON.parse(line) as { before: number[]; replaced: boolean; after: number[]; left: number[]; done: number };
    expect(seen.before).toHaveLength(2);
    expect(seen.replaced).toBe(true);
    expect(seen.after).toHaveLength(2);
    expect(seen.after.some((pid) => seen.before.includes(pid))).toBe(false);
    expect(seen.left).toEqual([]);
    expect(seen.done).toBe(0);
    for (const pid of [...seen.before, ...seen.after]) {
      expect(alive(pid)).toBe(false);
      expect(scripted.output()).toContain(`Worker ${pid}: SIGTERM received: finishing in-flight requests, then shutting down`); // drained
    }
  });

  it("starts no worker when the primary hook fails", { timeout: 60_000 }, async () => {
    const events = join(dir, "failed-primary.txt");
    const failing = start({ WORKERS: "2", FAIL_PRIMARY: "1", EVENTS: events });
    expect(await failing.exited()).toBe(1);
    expect(failing.output()).toContain("could not serve: The primary hook of serve() failed: migrations failed. Workers fixture was not started.");
    expect(() => readFileSync(events, "utf8")).toThrow(/ENOENT/); // no worker ever started the app
  });
});

describe("serve() refuses a bad worker count at call time", () => {
  it.each([0, -1, 1.5, Number.NaN, MAX_WORKERS + 1, "4"])("workers: %s", async (workers) => {
    const app = new App();
    let startups = 0;
    const failure = await serve(app, { port: 0, workers: workers as number, primary: () => void startups++ }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypefastError);
    expect((failure as TypefastError).code).toBe("TF_SERVE_WORKERS");
    expect((failure as Error).message).toContain(`serve(): workers must be a whole number from 1 to ${MAX_WORKERS}, got ${typeof workers === "string" ? `"${workers}"` : workers}.`);
    expect(startups).toBe(0);
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
  });
});
