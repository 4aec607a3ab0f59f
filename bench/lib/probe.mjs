// The CPU guard. One probe worker per core (pinned with taskset) times a fixed amount of integer work;
// the fastest time seen per core is its baseline. A run is trusted only if, right before and right after
// it, both cores ran the probe within `threshold` × their baseline: otherwise the host was slowing a core
// down (or something else was competing for it) and the run is discarded.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { liveChildren } from "./servers.mjs";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "probe-worker.mjs");

// ~13 ms per round on this class of machine; the median of 5 rounds is reported, ~65 ms per core.
const ITERATIONS = 7_000_000;
const ROUNDS = 5;

export class CpuGuard {
  constructor({ cores = [0, 1], threshold = 1.2 } = {}) {
    this.cores = cores;
    this.threshold = threshold;
    this.baseline = Object.fromEntries(cores.map((c) => [c, Infinity]));
    this.workers = new Map();
    this.nextId = 0;
  }

  /** Spawn the pinned workers and seed the baselines with `seed` probes per core. */
  async start(seed = 10) {
    for (const core of this.cores) {
      const child = spawn("taskset", ["-c", String(core), process.execPath, WORKER], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      liveChildren.add(child);
      child.once("exit", () => liveChildren.delete(child));
      this.workers.set(core, child);
    }
    for (let i = 0; i < seed; i++) await this.probe();
  }

  async stop() {
    for (const child of this.workers.values()) child.kill("SIGTERM");
  }

  #probeCore(core) {
    const child = this.workers.get(core);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (msg) => {
        if (msg.id !== id) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(msg.ms);
      };
      const onExit = () => reject(new Error(`probe worker on core ${core} died`));
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ id, iterations: ITERATIONS, rounds: ROUNDS });
    });
  }

  /** Probe each core in turn (never both at once). Returns { core: ms }, and lowers baselines if faster. */
  async probe() {
    const ms = {};
    for (const core of this.cores) {
      ms[core] = await this.#probeCore(core);
      if (ms[core] < this.baseline[core]) this.baseline[core] = ms[core];
    }
    return ms;
  }

  /** Ratio of a probe result to the current baseline, per core. */
  ratios(ms) {
    return Object.fromEntries(this.cores.map((c) => [c, ms[c] / this.baseline[c]]));
  }

  /** Judge probes taken before and after a run against the current baselines. */
  judge(before, after) {
    const rb = this.ratios(before);
    const ra = after ? this.ratios(after) : {};
    const bad = [];
    for (const c of this.cores) {
      if (rb[c] > this.threshold) bad.push(`core ${c} before ${rb[c].toFixed(2)}x`);
      if (after && ra[c] > this.threshold) bad.push(`core ${c} after ${ra[c].toFixed(2)}x`);
    }
    return { ok: bad.length === 0, reason: bad.join(", "), before: rb, after: ra };
  }

  /** Probe every `everyMs` until both cores are within the threshold or `timeoutMs` passes. */
  async waitForCalm({ timeoutMs = 30_000, everyMs = 2000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ms = await this.probe();
      const verdict = this.judge(ms);
      if (verdict.ok) return { calm: true, ms };
      if (Date.now() >= deadline) return { calm: false, ms, reason: verdict.reason };
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
