/**
 * Router micro-benchmark: lookups/second over a 200-route table (static, param and catch-all routes).
 * Run with `npx tsx bench/router-micro.ts`. Prints numbers; it is not a test and asserts nothing beyond sanity.
 */
import { RadixRouter } from "../src/routing/radix-router.ts";

const router = new RadixRouter<number>();
const resources = Array.from({ length: 40 }, (_, i) => `resource${i}`);
let id = 0;
for (const r of resources) {
  // 5 routes per resource → 200 routes, shaped like a typical REST API.
  router.add("GET", `/api/v1/${r}`, id++);
  router.add("POST", `/api/v1/${r}`, id++);
  router.add("GET", `/api/v1/${r}/{item_id}`, id++);
  router.add("GET", `/api/v1/${r}/{item_id}/children/{child_id}`, id++);
  router.add("GET", `/static/${r}/{file_path:path}`, id++);
}

const workloads: Array<[string, string[][]]> = [
  ["static", resources.map((r) => ["GET", `/api/v1/${r}`])],
  ["param (1)", resources.map((r, i) => ["GET", `/api/v1/${r}/${1000 + i}`])],
  ["param (2)", resources.map((r, i) => ["GET", `/api/v1/${r}/${i}/children/abc${i}`])],
  ["catch-all", resources.map((r) => ["GET", `/static/${r}/css/site/main.css`])],
  ["404", resources.map((r) => ["GET", `/api/v2/${r}/x`])],
  ["405", resources.map((r) => ["DELETE", `/api/v1/${r}`])],
];

// Keep results observable so the JIT cannot drop the lookups.
let sink = 0;

/** Seconds of CPU time (not wall time, so other processes on a busy machine skew the numbers less). */
function run(requests: string[][], iterations: number): number {
  const start = process.cpuUsage();
  for (let n = 0; n < iterations; n++) {
    const [method, path] = requests[n % requests.length];
    const result = router.find(method, path);
    if (result !== null) sink++;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const ITERATIONS = 2_000_000;
console.log(`RadixRouter micro-benchmark: ${id} routes, ${ITERATIONS.toLocaleString("en-US")} lookups per workload (CPU time, best of 3)`);
for (const [name, requests] of workloads) {
  run(requests, ITERATIONS / 10); // warm-up
  let best = Infinity;
  for (let round = 0; round < 3; round++) best = Math.min(best, run(requests, ITERATIONS));
  const perSecond = Math.round(ITERATIONS / best);
  const nsPerOp = ((best / ITERATIONS) * 1e9).toFixed(1);
  console.log(`  ${name.padEnd(10)} ${perSecond.toLocaleString("en-US").padStart(13)} lookups/s  (${nsPerOp} ns/op)`);
}
if (sink === 0) console.log("(no lookups matched?)");
