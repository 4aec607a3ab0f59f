import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets (API keys, Basic passwords, token digests) in constant time. Both sides are hashed with
 * SHA-256 first, so `crypto.timingSafeEqual` always compares 32 equal-length bytes: neither the content nor the
 * length of the expected secret leaks through response timing, which a plain `===` or an early length check would.
 *
 * @example
 * if (!compareSecrets(key, process.env.API_KEY!)) throw new HTTPException(401, "Invalid API key", { "WWW-Authenticate": "APIKey" });
 */
export function compareSecrets(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string | Uint8Array): Buffer {
  return createHash("sha256").update(value).digest();
}
