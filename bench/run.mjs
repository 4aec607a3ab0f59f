// npm run bench: Typefast next to raw node:http, Fastify and Hono, measured with wrk under a CPU guard.
// See bench/README.md for the method and how to read the output.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkServers, verifyEndpoint } from "./check.mjs";
import { startCpuSampler } from "./lib/cpu.mjs";
import { HELP, options } from "./lib/options.mjs";
import { CpuGuard } from "./lib/probe.mjs";
import { BENCH_DIR, killLiveChildren, startServer } from "./lib/servers.mjs";
import { formatTable, summarize } from "./lib/stats.mjs";
import { hasTaskset, runWrk, wrkInstallCommand, wrkVersion } from "./lib/wrk.mjs";

const SERVER_CORE = 0;
const LOAD_CORE = 1;

const pct = (x) => (Number.isFinite(x) ? `${Math.round(x)}%` : "?");
const ratio = (r) => (r === undefined ? "  -  " : r.toFixed(2));

/** Why a finished run cannot be kept (null when it can), and whether CPU noise is to blame. */
function judgeRun(opts, rec, verdict) {
  if (!rec.wrk.ok) {
    return { noisy: false, reason: `wrk saw ${rec.wrk.non2xx} non-2xx responses, socket errors ${JSON.stringify(rec.wrk.socketErrors)}` };
  }
  if (!verdict.ok) return { noisy: true, reason: `probe ${verdict.reason}` };
  const foreign = Object.entries(rec.cpu?.foreign ?? {}).filter(([, p]) => p > opts.maxForeign);
  if (foreign.length) return { noisy: true, reason: foreign.map(([c, p]) => `others used ${Math.round(p)}% of core ${c}`).join(", ") };
  return null;
}

/** One attempt: fresh server on core 0, answer check, warm-up, probe, measured wrk on core 1, probe, stop. */
async function measure(opts, guard, slot) {
  const { server: name, endpoint: e } = slot;
  const rec = { server: name, endpoint: e.id, rep: slot.rep, attempt: slot.attempts, at: new Date().toISOString(), accepted: false };
  const discard = (reason, noisy = false) => Object.assign(rec, { reason, noisy });
  let srv;
  try {
    srv = await startServer(name, { core: SERVER_CORE });
    const wrkOpts = {
      url: `http://127.0.0.1:${srv.port}${e.path}`,
      script: e.lua ? path.join(BENCH_DIR, e.lua) : undefined,
      connections: opts.connections,
      core: LOAD_CORE,
    };
    // the code may have changed since check.mjs ran: make sure this process still answers right
    const wrong = await verifyEndpoint(srv.port, e);
    if (wrong.length) return discard(`wrong answer: ${wrong.join("; ")}`);
    if (opts.warmup > 0) await runWrk({ ...wrkOpts, seconds: opts.warmup });

    const before = await guard.probe();
    rec.probes = { before, after: null };
    const pre = guard.judge(before);
    rec.ratios = { before: pre.before };
    if (!pre.ok) return discard(`probe ${pre.reason}`, true);

    let sampler;
    const onStart = (loadPid) => {
      sampler = startCpuSampler({ serverPid: srv.pid, loadPid, serverCore: SERVER_CORE, loadCore: LOAD_CORE });
    };
    try {
      rec.wrk = await runWrk({ ...wrkOpts, seconds: opts.duration, onStart });
    } finally {
      rec.cpu = sampler?.stop() ?? null;
    }
    rec.probes.after = await guard.probe();
    const verdict = guard.judge(before, rec.probes.after);
    rec.ratios = { before: verdict.before, after: verdict.after };
    const bad = judgeRun(opts, rec, verdict);
    if (bad) return discard(bad.reason, bad.noisy);
    rec.accepted = true;
    return rec;
  } catch (err) {
    return discard(`error: ${err.message}`);
  } finally {
    if (srv) {
      rec.shutdown = await srv.stop();
      if (!rec.shutdown.clean) {
        const { code, signal } = rec.shutdown;
        rec.reason = `${rec.reason ? `${rec.reason}; ` : ""}unclean shutdown (code ${code}, signal ${signal})`;
      }
    }
  }
}

function runLine(total, slot, rec) {
  const head = `[${String(slot.index).padStart(String(total).length)}/${total}] rep ${slot.rep}  ${slot.endpoint.id} ${slot.endpoint.name.padEnd(11)} ${slot.server.padEnd(9)}`;
  const r = rec.ratios ?? {};
  const probes = [SERVER_CORE, LOAD_CORE].map((c) => `c${c} ${ratio(r.before?.[c])}/${ratio(r.after?.[c])}`).join(" ");
  const c = rec.cpu ?? { foreign: {} };
  const cpu = `cpu srv ${pct(c.server).padStart(4)} wrk ${pct(c.load).padStart(4)} others ${pct(c.foreign[SERVER_CORE])}/${pct(c.foreign[LOAD_CORE])}`;
  const rps = rec.wrk ? `${Math.round(rec.wrk.rps).toLocaleString("en-US").padStart(8)} req/s  p99 ${rec.wrk.latencyMs.p99?.toFixed(2).padStart(6)} ms  ${cpu.padEnd(35)}` : " ".repeat(69);
  const verdict = rec.accepted ? (rec.reason ? `ok, but ${rec.reason}` : "ok") : `DISCARDED (${rec.reason})`;
  return `${head} ${rps}  probe ${probes}  ${verdict}${rec.attempt > 1 ? ` [attempt ${rec.attempt}]` : ""}`;
}

/** Exit with a message when a tool the method depends on is missing. Returns wrk's version line. */
function preflight() {
  if (!hasTaskset()) {
    console.error("taskset is missing (it pins the server and wrk to separate cores). Install it with:\n  apt-get install -y util-linux");
    process.exit(1);
  }
  const wrkV = wrkVersion();
  if (!wrkV) {
    console.error(`wrk is not installed. Install it (Debian/Ubuntu) with:\n  ${wrkInstallCommand()}`);
    process.exit(1);
  }
  if (os.availableParallelism() < 2) {
    console.error("need at least 2 CPUs: the server runs on core 0, wrk on core 1");
    process.exit(1);
  }
  return wrkV;
}

/** Round-robin plan: every repeat visits every endpoint, and within it every server in turn. */
function plan(opts, servers) {
  const slots = [];
  for (let rep = 1; rep <= opts.repeats; rep++) {
    for (const endpoint of opts.endpoints) {
      for (const server of servers) slots.push({ index: slots.length + 1, rep, endpoint, server, attempts: 0, accepted: null });
    }
  }
  return slots;
}

/**
 * Measure one slot until a run is kept or its retries are used up. Every attempt is appended to `state.runs`.
 * After `--give-up` waits in a row in which the cores never calmed down, sets `state.gaveUp` and stops.
 */
async function runSlot(opts, guard, slot, total, state) {
  while (!slot.accepted && slot.attempts <= opts.retries && !state.gaveUp) {
    slot.attempts++;
    const rec = await measure(opts, guard, slot);
    state.runs.push(rec);
    console.log(runLine(total, slot, rec));
    if (rec.accepted) slot.accepted = rec;
    else if (rec.noisy && slot.attempts <= opts.retries) {
      const calm = await guard.waitForCalm({ timeoutMs: opts.calmTimeout * 1000 });
      state.busyStreak = calm.calm ? 0 : state.busyStreak + 1;
      if (calm.calm) continue;
      if (opts.giveUp > 0 && state.busyStreak >= opts.giveUp) {
        state.gaveUp = `the cores did not calm down in ${state.busyStreak} waits of ${opts.calmTimeout}s in a row`;
      } else {
        console.log(`        cores still not calm after ${opts.calmTimeout}s (${calm.reason}); re-running anyway`);
      }
    }
  }
}

/** Baselines only ever get faster: re-judge kept runs against the final ones and re-run those that fail now. */
async function rejudge(opts, guard, slots, state, showBase) {
  for (let pass = 0; pass < 3 && !state.gaveUp; pass++) {
    const stale = slots.filter((s) => s.accepted && !guard.judge(s.accepted.probes.before, s.accepted.probes.after).ok);
    if (stale.length === 0) return;
    console.log(`\n${stale.length} kept run(s) fail against the final baselines (${showBase()}); re-running them`);
    for (const s of stale) {
      const v = guard.judge(s.accepted.probes.before, s.accepted.probes.after);
      Object.assign(s.accepted, { accepted: false, reason: `stale: probe ${v.reason} against the final baseline` });
      s.accepted = null;
      await runSlot(opts, guard, s, slots.length, state);
    }
  }
}

function writeReport(report) {
  const dir = path.join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (err) {
    console.error(`${err.message}\n\n${HELP}`);
    process.exit(1);
  }
  if (opts.help) {
    console.log(HELP);
    process.exit(0);
  }
  const wrkV = preflight();
  process.on("SIGINT", () => {
    killLiveChildren();
    process.exit(130);
  });

  const startedAt = new Date().toISOString();
  console.log(`typefast bench: ${opts.servers.join(", ")} × ${opts.endpoints.map((e) => e.id).join(", ")}; ${opts.repeats} repeats × ${opts.duration}s (+${opts.warmup}s warm-up), ${opts.connections} connections, wrk -t1`);
  console.log(`server pinned to core ${SERVER_CORE}, wrk to core ${LOAD_CORE}; node ${process.version}, ${wrkV}\n`);

  const check = await checkServers(opts.servers);
  for (const name of Object.keys(check.failed)) console.log(`refusing to benchmark ${name}: it does not answer like the others`);
  const servers = opts.servers.filter((s) => check.passed.includes(s));
  if (servers.length === 0) {
    console.error("no server passed the check; nothing to benchmark");
    process.exit(1);
  }

  const guard = new CpuGuard({ cores: [SERVER_CORE, LOAD_CORE], threshold: opts.threshold });
  await guard.start();
  const showBase = () => Object.entries(guard.baseline).map(([c, ms]) => `core ${c} ${ms.toFixed(2)} ms`).join(", ");
  console.log(`\nprobe baselines: ${showBase()}; a run is discarded when a core probes > ${opts.threshold}x before or after it,`);
  console.log(`or when other processes take > ${opts.maxForeign}% of core ${SERVER_CORE} or ${LOAD_CORE} during it`);

  const slots = plan(opts, servers);
  const minutes = Math.ceil((slots.length * (opts.warmup + opts.duration + 1.5)) / 60);
  console.log(`${slots.length} measured runs planned, about ${minutes} min without discards\n`);
  const state = { runs: [], busyStreak: 0, gaveUp: null };
  for (const slot of slots) {
    await runSlot(opts, guard, slot, slots.length, state);
    if (state.gaveUp) break;
  }
  await rejudge(opts, guard, slots, state, showBase);
  await guard.stop();
  const { runs } = state;
  if (state.gaveUp) console.log(`\ngave up: ${state.gaveUp}. The machine is too busy to measure honestly; try again when it is quiet.`);

  const summary = summarize(slots, opts.endpoints, servers, opts.repeats);
  const discarded = runs.filter((r) => !r.accepted).length;
  console.log(`\nmedians of kept runs (${runs.length - discarded} kept, ${discarded} discarded; spread = ±half of (max-min)/median; p99 = median of the runs' p99)\n`);
  console.log(formatTable(summary));

  const file = writeReport({
    startedAt,
    finishedAt: new Date().toISOString(),
    options: { ...opts, endpoints: opts.endpoints.map((e) => e.id) },
    machine: { node: process.version, wrk: wrkV, cpus: os.cpus().map((c) => c.model), kernel: os.release(), serverCore: SERVER_CORE, loadCore: LOAD_CORE },
    check,
    gaveUp: state.gaveUp,
    baselineMs: guard.baseline,
    summary,
    runs: runs.map(({ wrk, ...r }) => ({ ...r, wrk: wrk && { ...wrk, raw: wrk.raw.trim().split("\n") } })),
  });
  console.log(`\nraw results: ${path.relative(process.cwd(), file)}`);
  process.exit(Object.keys(check.failed).length === 0 && !state.gaveUp ? 0 : 1);
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  killLiveChildren();
  process.exit(1);
});
