import { errors } from "jose";

/** Why a token was refused. Stable: match on it, not on the message. */
export type TokenErrorCode =
  /** Not a compact JWS, bad base64url or JSON, or a header we refuse (e.g. `crit`). */
  | "malformed"
  /** `exp` is in the past (beyond the clock tolerance). */
  | "expired"
  /** `nbf` or `iat` is in the future (beyond the clock tolerance). */
  | "not_yet_valid"
  /** The signature does not match: forged, tampered with, or signed with another key. */
  | "signature_invalid"
  /** The header's `alg` is not the one this verifier is pinned to (`none`, or HS256 for an RS256 key…). */
  | "algorithm_not_allowed"
  /** A claim is missing or wrong: `iss`, `aud`, `typ`, `sub`, or the custom claims schema. */
  | "claim_invalid";

/**
 * A token that cannot be trusted. Its message says why in words safe to show a developer (it never contains the
 * token or a key); `code` is stable, `claim` names the offending claim when there is one.
 *
 * @example
 * try { await tokens.verify(token); } catch (e) { if (e instanceof TokenError && e.code === "expired") return refresh(); throw e; }
 */
export class TokenError extends Error {
  readonly code: TokenErrorCode;
  /** The claim that failed (`exp`, `aud`, `iss`, `sub`, `typ`, `roles`…), when the failure is about one. */
  readonly claim: string | undefined;

  constructor(code: TokenErrorCode, message: string, claim?: string) {
    super(message);
    this.name = "TokenError";
    this.code = code;
    this.claim = claim;
  }
}

/**
 * Translates jose's errors into {@link TokenError}s. jose's error is deliberately not kept as `cause`: it carries
 * the decoded payload, which must not reach logs through a 401. Anything else (a key of the wrong type, a bug) is not the
 * token's fault and is rethrown as is, so it becomes a logged 500 rather than a misleading 401.
 */
export function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError("expired", "The token has expired", "exp");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || (error.claim === "iat" && error.reason === "check_failed")) {
      return new TokenError("not_yet_valid", "The token is not valid yet", error.claim);
    }
    const what = error.reason === "missing" ? "is missing" : "is invalid";
    return new TokenError("claim_invalid", `The token's "${error.claim}" claim ${what}`, error.claim);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError("signature_invalid", "The token's signature is invalid", undefined);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError("algorithm_not_allowed", "The token's signing algorithm is not accepted", undefined);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new TokenError("malformed", "The token is malformed", undefined);
  }
  throw error;
}
