/**
 * Failed secret comparisons take the same time whatever prefix of the secret the guess gets right. Two checks:
 * structurally, `compareSecrets` (what the API-key and Basic examples and docs prescribe) goes through
 * `crypto.timingSafeEqual` on fixed-size digests; statistically, on long secrets a wrong guess sharing all but the
 * last byte costs the same as one wrong from the first byte — a measurement that does see the difference for a plain
 * `===` on the same inputs, so it has the power to catch a naive comparison. `bench/secret-timing.ts` measures the
 * same over HTTP.
 */
import crypto from "node:crypto";
import { syncBuiltinESMExports } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { compareSecrets } from "../../src/index.ts";

/** Median time of `fn` per call, in ns, over `rounds` rounds of `reps` calls. */
function medianNs(fn: () => unknown, rounds: number, reps: number): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t) / reps);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** Ratio of the time for a guess sharing a long prefix to one sharing none, measured interleaved. */
function prefixRatio(compare: (a: string, b: string) => boolean, size: number): number {
  const secret = crypto.randomBytes(size).toString("hex");
  // Fresh flat strings of the same length: no shared storage, no cached hash that could shortcut `===`.
  const longPrefix = Buffer.from(secret.slice(0, -1) + (secret.endsWith("0") ? "1" : "0")).toString();
  const noPrefix = Buffer.from((secret.startsWith("0") ? "1" : "0") + secret.slice(1)).toString();
  const ratios: number[] = [];
  for (let round = 0; round < 11; round++) {
    // Alternate which one runs first, so a slowdown of the machine does not always hit the same side.
    const measure = (guess: string) => medianNs(() => compare(guess, secret), 9, 10);
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      a = measure(longPrefix);
      b = measure(noPrefix);
    } else {
      b = measure(noPrefix);
      a = measure(longPrefix);
    }
    ratios.push(a / b);
  }
  return ratios.sort((x, y) => x - y)[5]!;
}

describe("secret comparison timing", () => {
  it("compareSecrets compares SHA-256 digests with crypto.timingSafeEqual", () => {
    const spy = vi.spyOn(crypto, "timingSafeEqual");
    syncBuiltinESMExports();
    try {
      expect(compareSecrets("a-wrong-key", "the-right-key")).toBe(false);
      expect(compareSecrets("the-right-key", "the-right-key")).toBe(true);
      expect(spy).toHaveBeenCalledTimes(2);
      for (const [a, b] of spy.mock.calls) {
        expect((a as Uint8Array).byteLength).toBe(32);
        expect((b as Uint8Array).byteLength).toBe(32);
      }
    } finally {
      spy.mockRestore();
      syncBuiltinESMExports();
    }
  });

  it("takes as long for a guess that shares all but the last byte as for one that shares nothing", () => {
    const naive = prefixRatio((a, b) => a === b, 1 << 15);
    const safe = prefixRatio(compareSecrets, 1 << 15);
    console.info(`64 KiB secrets, time(long shared prefix) / time(no shared prefix): === ${naive.toFixed(2)}, compareSecrets ${safe.toFixed(2)}`);
    // The measurement can tell: a naive comparison stops at the first difference.
    expect(naive).toBeGreaterThan(3);
    // compareSecrets hashes both inputs whole, then compares 32 bytes in constant time.
    // A wide band (shared machines are noisy) that is still far from what `===` shows.
    expect(safe).toBeGreaterThan(0.5);
    expect(safe).toBeLessThan(2);
  });
});
