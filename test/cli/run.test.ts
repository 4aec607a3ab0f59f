/** `typefast run`: production serving through the real launcher, alone and on node:cluster workers. */
import { afterAll, describe, expect, it } from "vitest";
import { appSource, getJson, launch, project, type Launched } from "./helpers.ts";

const fixture = await project({ "app.ts": appSource("prod") });
const running: Launched[] = [];
afterAll(async () => {
  for (const p of running) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill("SIGKILL");
  await fixture.remove();
});

describe("typefast run", () => {
  it("serves app.ts and, on SIGTERM, finishes the in-flight request before exiting 0", { timeout: 120_000 }, async () => {
    const run = launch(["run", "--host", "127.0.0.1", "--port", "0"], fixture.dir);
    running.push(run);
    const [, url] = await run.waitFor(/Serving CLI fixture at (http:\/\/\S+) — docs at \S+ \(pid (\d+)\)/);
    expect(await getJson(`${url}/hello`)).toEqual({ message: "prod" });

    const slow = getJson(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 300)); // the request is in flight
    run.proc.kill("SIGTERM");
    expect(await slow).toEqual({ done: true });
    expect(await run.exited()).toBe(0);
    expect(run.output()).toContain("SIGTERM received: finishing in-flight requests, then shutting down");
    expect(run.output()).toContain("Shut down cleanly");
  });

  it("--workers 2 serves from two processes, replaces a dead worker, rolls them on SIGHUP, and stops them all on SIGTERM", { timeout: 180_000 }, async () => {
    const run = launch(["run", "--workers", "2", "--host", "127.0.0.1", "--port", "0"], fixture.dir);
    running.push(run);
    const [, url, pids, primary] = await run.waitFor(/Serving CLI fixture at (http:\/\/\S+) — docs at \S+ with 2 workers \(pids (\d+), \d+; primary (\d+)\)/);
    expect(Number(primary)).toBe(run.proc.pid);

    const seen = new Set<number>();
    for (let i = 0; i < 20 && seen.size < 2; i++) seen.add((await getJson(`${url}/pid`)).pid);
    expect(seen.size).toBe(2);
    expect(seen.has(run.proc.pid!)).toBe(false);

    // A crashed worker is replaced, and the port keeps answering.
    const mark = run.output().length;
    process.kill(Number(pids), "SIGKILL");
    const [, replacement] = await run.waitFor(/Worker (\d+) is serving/, 60_000, mark);
    expect(run.output().slice(mark)).toContain(`Worker ${pids} died (SIGKILL); starting a new one`);
    const after = new Set<number>();
    for (let i = 0; i < 20 && after.size < 2; i++) after.add((await getJson(`${url}/pid`)).pid);
    expect(after.has(Number(replacement))).toBe(true);
    expect(after.has(Number(pids))).toBe(false);

    // SIGHUP: every worker replaced, one at a time.
    const hup = run.output().length;
    run.proc.kill("SIGHUP");
    const [, now] = await run.waitFor(/Rolling restart done: 2 workers replaced \(now (\d+, \d+)\)/, 90_000, hup);
    const rolled = new Set(now.split(", ").map(Number));
    for (const pid of after) expect(rolled.has(pid)).toBe(false);
    const answering = new Set<number>();
    for (let i = 0; i < 20 && answering.size < 2; i++) answering.add((await getJson(`${url}/pid`)).pid);
    expect(answering).toEqual(rolled);

    run.proc.kill("SIGTERM");
    expect(await run.exited()).toBe(0);
    expect(run.output()).toContain("SIGTERM received: stopping 2 workers gracefully");
    expect(run.output()).toContain("All workers stopped; shut down cleanly");
    for (const pid of [...after, ...rolled]) expect(alive(pid)).toBe(false);
  });

  it("explains an entry without an app, listing its exports", { timeout: 60_000 }, async () => {
    await fixture.write("other.ts", "export const port = 8000;\nexport function helper() {}\n");
    const run = launch(["run", "other.ts"], fixture.dir);
    expect(await run.exited()).toBe(1);
    expect(run.output()).toContain(
      "typefast run: other.ts exports no App; the exports found are helper (function), port (number). Export it (`export const app = new App()`) or name it with --app <name>.",
    );
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
