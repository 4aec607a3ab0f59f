import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TypefastError } from "../../src/index.ts";
import { AccessTokens } from "../../src/security/index.ts";
import { toSeconds } from "../../src/security/token-keys.ts";

const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 });
const ed = generateKeyPairSync("ed25519");
const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });

function configError(make: () => unknown): TypefastError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(TypefastError);
    return error as TypefastError;
  }
  throw new Error("expected a configuration error");
}

describe("AccessTokens key checks at construction", () => {
  it.each([
    ["HS256", 32],
    ["HS384", 48],
    ["HS512", 64],
  ] as const)("%s needs a secret of at least %i bytes (RFC 7518 §3.2)", (algorithm, bytes) => {
    const error = configError(() => new AccessTokens({ algorithm, secret: "x".repeat(bytes - 1) }));
    expect(error.code).toBe("TF_TOKEN_KEY");
    expect(error.message).toContain(`requires at least ${bytes}`);
    expect(error.message).not.toContain("x".repeat(bytes - 1));
    expect(() => new AccessTokens({ algorithm, secret: randomBytes(bytes) })).not.toThrow();
  });

  it("needs a secret for HMAC and refuses key pairs there", () => {
    expect(configError(() => new AccessTokens({ algorithm: "HS256" })).message).toContain("`secret` option is required");
    expect(configError(() => new AccessTokens({ algorithm: "HS256", secret: "s".repeat(32), publicKey: ed.publicKey })).message).toContain("not a private or public key");
  });

  it("refuses a secret for asymmetric algorithms, and needs one of the keys", () => {
    expect(configError(() => new AccessTokens({ algorithm: "RS256", secret: "s".repeat(32) })).message).toContain("not a `secret`");
    expect(configError(() => new AccessTokens({ algorithm: "EdDSA" })).message).toContain("give a `privateKey`");
  });

  it("refuses RSA keys under 2048 bits (RFC 7518 §3.3)", () => {
    expect(configError(() => new AccessTokens({ algorithm: "RS256", privateKey: rsa1024.privateKey })).message).toContain("1024 bits");
  });

  it("refuses a key of the wrong type or curve for the algorithm", () => {
    expect(configError(() => new AccessTokens({ algorithm: "RS256", privateKey: ed.privateKey })).message).toContain("ed25519 key cannot be used with RS256");
    expect(configError(() => new AccessTokens({ algorithm: "EdDSA", publicKey: p384.publicKey })).message).toContain("cannot be used with EdDSA");
    expect(configError(() => new AccessTokens({ algorithm: "ES256", privateKey: p384.privateKey })).message).toContain("cannot be used with ES256");
    expect(() => new AccessTokens({ algorithm: "ES384", privateKey: p384.privateKey })).not.toThrow();
  });

  it("refuses a public key given as the private key, and never echoes key material", () => {
    expect(configError(() => new AccessTokens({ algorithm: "EdDSA", privateKey: ed.publicKey })).message).toContain("holds a public key");
    const garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----";
    const error = configError(() => new AccessTokens({ algorithm: "EdDSA", privateKey: garbage }));
    expect(error.message).toContain("not a valid PEM or JWK private key");
    expect(error.message).not.toContain("c2VjcmV0");
  });

  it("refuses durations it cannot read", () => {
    expect(configError(() => new AccessTokens({ algorithm: "HS256", secret: "s".repeat(32), expiresIn: "soon" })).code).toBe("TF_TOKEN_DURATION");
    expect(configError(() => new AccessTokens({ algorithm: "HS256", secret: "s".repeat(32), clockTolerance: -5 })).code).toBe("TF_TOKEN_DURATION");
  });
});

describe("toSeconds", () => {
  it.each([
    [90, 90],
    ["45s", 45],
    ["30m", 1800],
    ["30 minutes", 1800],
    ["12h", 43200],
    ["1 hour", 3600],
    ["7d", 604800],
    ["2 days", 172800],
  ] as const)("%j → %i", (input, seconds) => {
    expect(toSeconds(input, "expiresIn")).toBe(seconds);
  });
});
