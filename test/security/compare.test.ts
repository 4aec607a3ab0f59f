import { describe, expect, it } from "vitest";
import { compareSecrets } from "../../src/security/index.ts";

describe("compareSecrets", () => {
  it("is true only for equal secrets, whatever their lengths", () => {
    expect(compareSecrets("s3cret", "s3cret")).toBe(true);
    expect(compareSecrets("s3cret", "s3creT")).toBe(false);
    expect(compareSecrets("s3cret", "s3cret-longer")).toBe(false);
    expect(compareSecrets("", "")).toBe(true);
    expect(compareSecrets("", "x")).toBe(false);
  });

  it("compares bytes and strings alike (UTF-8)", () => {
    expect(compareSecrets(Buffer.from("clé", "utf8"), "clé")).toBe(true);
    expect(compareSecrets(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
  });
});
