/**
 * The quick part of the HTTP fuzzer (the long run is `npx tsx bench/fuzz.ts`; see docs/reliability.md):
 * generated raw requests against the fuzz app in its own process. Replay a failure with the seed and path it
 * prints: `FUZZ_SEED=… FUZZ_PATH=… npx tsx bench/fuzz.ts`, or rerun this test with `FUZZ_SEED=…`.
 */
import { describe, expect, it } from "vitest";
import { runFuzz } from "./fuzz-run.ts";

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);

describe("HTTP fuzzing against a real server", () => {
  it(`answers ${REQUESTS} random and mutated requests without a crash, a hang, an undocumented 5xx or a leak`, async () => {
    const result = await runFuzz({
      requests: REQUESTS,
      seed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
      path: process.env.FUZZ_PATH,
    });
    if (result.report) console.error(result.report);
    expect(result.report).toBeUndefined();
    expect(result.stats.requests).toBeGreaterThanOrEqual(REQUESTS);
    expect(result.stats.crashes).toBe(0);
    expect(result.stats.hangs).toBe(0);
    // The generator reaches past the parser: handlers answer, validation answers.
    expect(result.stats.statuses["200"]).toBeGreaterThan(0);
    expect(result.stats.statuses["422"]).toBeGreaterThan(0);
  }, 120_000);
});
