/**
 * Checking a compact JWS (`header.payload.signature`) for {@link AccessTokens}: the signature with the pinned
 * algorithm, then the header. HMAC signatures are checked with `node:crypto`, synchronously: jose goes through
 * WebCrypto, whose asynchronous HMAC costs about ten times as much — the difference between an authenticated route
 * keeping most of its throughput and losing half of it. Asymmetric signatures still go through jose.
 */
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";
import { compactVerify, errors } from "jose";
import { TokenError, toTokenError } from "./token-error.ts";
import type { JWTAlgorithm } from "./token-keys.ts";

/** A token whose signature has been verified; the claims are not checked yet. */
export interface SignedToken {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

const HMAC_HASH: Partial<Record<JWTAlgorithm, string>> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };
// Strict base64url: `Buffer.from(…, "base64url")` silently skips other characters, which would let two different
// strings carry one signature.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const malformed = () => new TokenError("malformed", "The token is malformed", undefined);

/** Verifies `token`'s signature made with `algorithm` and `key`; throws {@link TokenError} when it cannot be trusted. */
export function verifySignature(token: string, algorithm: JWTAlgorithm, key: KeyObject | Uint8Array): SignedToken | Promise<SignedToken> {
  const hash = HMAC_HASH[algorithm];
  if (hash === undefined) return verifyWithJose(token, algorithm, key);
  if (typeof token !== "string") throw malformed();
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (first <= 0 || second === -1 || token.indexOf(".", second + 1) !== -1) throw malformed();
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) throw malformed();
  const header = decodeObject(h);
  checkHeader(header, algorithm);
  const expected = createHmac(hash, key).update(token.slice(0, second)).digest();
  const actual = Buffer.from(s, "base64url");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new TokenError("signature_invalid", "The token's signature is invalid", undefined);
  }
  return { header, payload: decodeObject(p) };
}

async function verifyWithJose(token: string, algorithm: JWTAlgorithm, key: KeyObject | Uint8Array): Promise<SignedToken> {
  try {
    const { payload, protectedHeader } = await compactVerify(token, key, { algorithms: [algorithm] });
    return { header: protectedHeader as Record<string, unknown>, payload: parseObject(new TextDecoder().decode(payload)) };
  } catch (error) {
    if (error instanceof errors.JOSEError) throw toTokenError(error);
    throw error;
  }
}

// RFC 7515 §4.1: `alg` must be the pinned one (never `none`); `crit` names extensions we do not implement, so a
// token carrying one must be refused (§4.1.11); `b64: false` (RFC 7797) changes what is signed.
function checkHeader(header: Record<string, unknown>, algorithm: JWTAlgorithm): void {
  if (typeof header.alg !== "string") throw malformed();
  if (header.alg !== algorithm) throw new TokenError("algorithm_not_allowed", "The token's signing algorithm is not accepted", undefined);
  if (header.crit !== undefined || header.b64 !== undefined) throw malformed();
}

function decodeObject(segment: string): Record<string, unknown> {
  return parseObject(Buffer.from(segment, "base64url").toString("utf8"));
}

function parseObject(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw malformed();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}
