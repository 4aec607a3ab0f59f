import { describe, expect, it } from "vitest";
import { PasswordHasher, hashPassword, passwordNeedsRehash, verifyPassword } from "../../src/security/index.ts";

// Cheap costs keep the suite fast; the defaults are checked separately.
const fast = new PasswordHasher({ memoryCost: 1024, timeCost: 1 });

describe("password hashing (argon2id)", () => {
  it("hashes with argon2id and OWASP's default cost, and verifies", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapler")).toBe(false);
    expect(passwordNeedsRehash(stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await fast.hash("same")).not.toBe(await fast.hash("same"));
  });

  it("verifies unicode passwords byte-exactly", async () => {
    const stored = await fast.hash("pässwörd🔑");
    expect(await fast.verify(stored, "pässwörd🔑")).toBe(true);
    expect(await fast.verify(stored, "passwörd🔑")).toBe(false);
  });

  it("an unknown user (undefined hash) is false, after the same argon2 work as a wrong password", async () => {
    expect(await fast.verify(undefined, "whatever")).toBe(false);
    expect(await fast.verify(null, "whatever")).toBe(false);
    // Same cost as a real verify, so the time would not reveal whether the user exists. The fastest of several
    // runs is compared: load on the machine only ever makes a run slower.
    const costly = new PasswordHasher({ memoryCost: 8192, timeCost: 2 });
    const stored = await costly.hash("x");
    await costly.verify(undefined, "warm-up");
    const fastest = async (f: () => Promise<unknown>) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await f();
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    const real = await fastest(() => costly.verify(stored, "wrong"));
    const dummy = await fastest(() => costly.verify(undefined, "wrong"));
    expect(dummy).toBeGreaterThan(real * 0.5);
  });

  it("refuses stored values that are not argon2 hashes, without echoing them", async () => {
    const sha = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";
    await expect(fast.verify(sha, "secret")).rejects.toThrow(TypeError);
    await expect(fast.verify(sha, "secret")).rejects.not.toThrow(sha);
    await expect(fast.verify("$argon2id$garbage", "secret")).rejects.toThrow("not a valid argon2 PHC hash");
  });

  it("needsRehash: other costs, other variants and non-argon2 values need a new hash", async () => {
    const stronger = new PasswordHasher({ memoryCost: 2048, timeCost: 1 });
    const old = await fast.hash("pw");
    expect(fast.needsRehash(old)).toBe(false);
    expect(stronger.needsRehash(old)).toBe(true);
    expect(fast.needsRehash("$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43))).toBe(true);
    expect(fast.needsRehash("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b")).toBe(true);
  });

  it("refuses impossible cost settings at construction", () => {
    expect(() => new PasswordHasher({ timeCost: 0 })).toThrow("`timeCost` must be a positive integer");
    expect(() => new PasswordHasher({ memoryCost: 8, parallelism: 4 })).toThrow("at least 8 × `parallelism`");
  });
});
