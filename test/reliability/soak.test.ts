/** `bench/soak.ts` end to end with a small count: it drives the benchmark server, checks answers, samples memory. */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const SOAK = path.join(import.meta.dirname, "..", "..", "bench", "soak.ts");

it("runs a short soak and reports every figure", { timeout: 120_000 }, async () => {
  // A huge --max-slope: 2,000 requests are all warm-up, too few for a verdict on the heap.
  const child = spawn(process.execPath, ["--import", "tsx", SOAK, "--requests", "2000", "--sample-every", "200", "--max-slope", "1e12", "--json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c));
  child.stderr.on("data", (c: Buffer) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, output).toBe(0);
  const summary = JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, unknown>;
  expect(summary).toMatchObject({ requests: 2000, errors: 0, samples: 11, gc: true, verdict: "flat" });
  expect(summary.heapSlopeBytesPer1k).toEqual(expect.any(Number));
  expect(output).toMatch(/requests\s+heapUsed MB\s+rss MB/);
});
