/**
 * Key material for {@link AccessTokens}: turns the options into the signing and verification keys once, at
 * construction, and refuses keys that do not fit the algorithm — a weak HMAC secret, an RSA key below 2048 bits,
 * an EC key on the wrong curve — so a misconfigured service fails at startup, not on the first login.
 */
import { createSecretKey, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { TypefastError } from "../errors/typefast-error.ts";

/** The JWS algorithms {@link AccessTokens} can be pinned to (RFC 7518 §3.1, RFC 8037 §3.1). */
export type JWTAlgorithm =
  | "HS256" | "HS384" | "HS512"
  | "RS256" | "RS384" | "RS512"
  | "PS256" | "PS384" | "PS512"
  | "ES256" | "ES384" | "ES512"
  | "EdDSA";

/** An asymmetric key: a `KeyObject`, a PEM string, or a JWK. */
export type AsymmetricKey = KeyObject | string | JsonWebKey;

/** What the key options resolve to. */
export interface TokenKeys {
  /** `undefined` when only a public key was given: this instance can verify but not issue. */
  readonly sign: KeyObject | Uint8Array | undefined;
  readonly verify: KeyObject | Uint8Array;
}

// RFC 7518 §3.2: "A key of the same size as the hash output (for instance, 256 bits for "HS256") or larger MUST be
// used with this algorithm."
const HMAC_MIN_BYTES: Partial<Record<JWTAlgorithm, number>> = { HS256: 32, HS384: 48, HS512: 64 };
const EC_CURVES: Partial<Record<JWTAlgorithm, string>> = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" };

/**
 * Resolves and checks the keys for `algorithm`. HMAC takes `secret`; the others take `privateKey` (to sign; the
 * public key is derived from it) and/or `publicKey` (to verify).
 */
export function resolveKeys(
  algorithm: JWTAlgorithm,
  options: { secret?: string | Uint8Array; privateKey?: AsymmetricKey; publicKey?: AsymmetricKey },
): TokenKeys {
  const where = `AccessTokens (${algorithm})`;
  if (algorithm in HMAC_MIN_BYTES) {
    if (options.privateKey !== undefined || options.publicKey !== undefined) {
      throw new TypefastError("TF_TOKEN_KEY", `${where}: HMAC algorithms take a \`secret\`, not a private or public key. Use RS256 or EdDSA for key pairs.`);
    }
    if (options.secret === undefined) throw new TypefastError("TF_TOKEN_KEY", `${where}: the \`secret\` option is required.`);
    const bytes = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : new Uint8Array(options.secret);
    const min = HMAC_MIN_BYTES[algorithm]!;
    if (bytes.length < min) {
      throw new TypefastError(
        "TF_TOKEN_KEY",
        `${where}: the secret is ${bytes.length} bytes; RFC 7518 §3.2 requires at least ${min}. Generate one with \`node -e "console.log(require('crypto').randomBytes(${min}).toString('base64url'))"\`.`,
      );
    }
    // A KeyObject, imported once: handing jose raw bytes makes it import the key again on every sign and verify.
    const key = createSecretKey(bytes);
    return { sign: key, verify: key };
  }
  if (options.secret !== undefined) {
    throw new TypefastError("TF_TOKEN_KEY", `${where}: asymmetric algorithms take \`privateKey\`/\`publicKey\`, not a \`secret\`.`);
  }
  const sign = options.privateKey === undefined ? undefined : toKey(options.privateKey, "private", where);
  const verify = options.publicKey !== undefined ? toKey(options.publicKey, "public", where) : sign && createPublicKey(sign);
  if (verify === undefined) throw new TypefastError("TF_TOKEN_KEY", `${where}: give a \`privateKey\` (to issue tokens) or a \`publicKey\` (to verify them).`);
  for (const key of sign ? [sign, verify] : [verify]) checkFits(algorithm, key, where);
  return { sign, verify };
}

function toKey(input: AsymmetricKey, kind: "private" | "public", where: string): KeyObject {
  if (typeof input === "object" && "type" in input && typeof (input as KeyObject).export === "function") {
    const key = input as KeyObject;
    if (key.type !== kind) throw new TypefastError("TF_TOKEN_KEY", `${where}: the ${kind}Key option holds a ${key.type} key.`);
    return key;
  }
  try {
    const source = typeof input === "string" ? input : { key: input as JsonWebKey, format: "jwk" as const };
    return kind === "private" ? createPrivateKey(source) : createPublicKey(source);
  } catch {
    // Never echo the key material into the message.
    throw new TypefastError("TF_TOKEN_KEY", `${where}: the ${kind}Key option is not a valid PEM or JWK ${kind} key.`);
  }
}

function checkFits(algorithm: JWTAlgorithm, key: KeyObject, where: string): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  let ok: boolean;
  if (algorithm.startsWith("RS") || algorithm.startsWith("PS")) {
    ok = type === "rsa" || (algorithm.startsWith("PS") && type === "rsa-pss");
    // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
    if (ok && (details.modulusLength ?? 0) < 2048) {
      throw new TypefastError("TF_TOKEN_KEY", `${where}: the RSA key has ${details.modulusLength} bits; RFC 7518 §3.3 requires at least 2048.`);
    }
  } else if (algorithm === "EdDSA") ok = type === "ed25519" || type === "ed448";
  else ok = type === "ec" && details.namedCurve === EC_CURVES[algorithm];
  if (!ok) throw new TypefastError("TF_TOKEN_KEY", `${where}: a ${type ?? "secret"} key cannot be used with ${algorithm}.`);
}

/** Parses `"30m"`, `"12h"`, `"7d"`, `"45s"` or a number of seconds into seconds; refuses anything else. */
export function toSeconds(value: number | string, option: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return Math.floor(value);
  } else {
    const m = /^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s*$/i.exec(value);
    if (m) return Number(m[1]) * UNIT[m[2]![0]!.toLowerCase()]!;
  }
  throw new TypefastError("TF_TOKEN_DURATION", `AccessTokens: \`${option}\` must be a number of seconds or a duration like "30m", "12h", "7d" (got ${JSON.stringify(value)}).`);
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
