/**
 * The long HTTP fuzz run: raw requests from `test/reliability/fuzz-requests.ts` against the fuzz app in a child
 * process, judged by the oracle in `test/reliability/fuzz-wire.ts` (no crash, no hang, no 5xx but the documented
 * ones, no stack traces or leaked secrets, a known-good request still answered, no prototype pollution).
 *
 *   npx tsx bench/fuzz.ts --requests 100000            # the full run; figures printed at the end
 *   FUZZ_SEED=123 npx tsx bench/fuzz.ts                # the same requests again
 *   FUZZ_SEED=123 FUZZ_PATH=42 npx tsx bench/fuzz.ts   # replay the failing batch a report names
 *
 * A seed stands for the same requests only with the same --batch. Options: --requests N (default 100 000),
 * --batch N (250), --concurrency N (64), --timeout MS (5000),
 * --shrink (let fast-check shrink a failing batch), --json FILE (write the figures).
 */
import { writeFileSync } from "node:fs";
import { runFuzz, type FuzzStats } from "../test/reliability/fuzz-run.ts";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const seedText = process.env.FUZZ_SEED;
const pathText = process.env.FUZZ_PATH;
const requests = Number(option("requests") ?? 100_000);
let lastShown = 0;
const show = (stats: FuzzStats) => {
  if (stats.requests - lastShown < 5000) return;
  lastShown = stats.requests;
  process.stderr.write(`  ${stats.requests} requests, ${stats.findings} findings, rss ${Math.round(stats.maxRss / 1e6)} MB\n`);
};

const result = await runFuzz({
  requests,
  batch: Number(option("batch") ?? 250),
  concurrency: Number(option("concurrency") ?? 64),
  timeoutMs: Number(option("timeout") ?? 5000),
  seed: seedText === undefined ? undefined : Number(seedText),
  path: pathText,
  shrink: process.argv.includes("--shrink"),
  onBatch: show,
});

const { stats } = result;
const sortedStatuses = Object.fromEntries(Object.entries(stats.statuses).sort(([a], [b]) => a.localeCompare(b)));
const figures = {
  command: `FUZZ_SEED=${result.seed} npx tsx bench/fuzz.ts --requests ${requests} --batch ${option("batch") ?? 250}`,
  node: process.version,
  seed: result.seed,
  requests: stats.requests,
  batches: stats.batches,
  seconds: Math.round(stats.elapsedMs / 100) / 10,
  requestsPerSecond: Math.round(stats.requests / (stats.elapsedMs / 1000)),
  statuses: sortedStatuses,
  kinds: stats.kinds,
  crashes: stats.crashes,
  hangs: stats.hangs,
  findings: stats.findings,
  slowestMs: stats.maxMs,
  documentedErrors: stats.documentedErrors,
  maxServerRssMB: Math.round(stats.maxRss / 1e6),
  failed: result.failed,
};
console.log(JSON.stringify(figures, null, 2));
const out = option("json");
if (out) writeFileSync(out, JSON.stringify(figures, null, 2) + "\n");
if (result.report) {
  console.error(`\n${result.report}`);
  process.exitCode = 1;
}
