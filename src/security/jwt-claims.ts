/**
 * The registered-claims checks of {@link AccessTokens.verify} (RFC 7519 §4.1, RFC 9068 §2): `typ`, `exp` (required),
 * `nbf`, `iat`, `iss`, `aud` and `sub` (required), with a clock tolerance. Run after the signature is verified.
 */
import { TokenError } from "./token-error.ts";
import type { SignedToken } from "./jws-verify.ts";

/** What the claims must satisfy. */
export interface ClaimRules {
  /** Required `typ` header (compared case-insensitively, `application/` prefix optional); `undefined` skips it. */
  readonly type: string | undefined;
  readonly issuer: string | undefined;
  /** Accepted audiences: the token's `aud` must name at least one. */
  readonly audience: readonly string[] | undefined;
  /** Seconds of clock difference accepted. */
  readonly tolerance: number;
}

const invalid = (claim: string, what = "is invalid") => new TokenError("claim_invalid", `The token's "${claim}" claim ${what}`, claim);

/** Throws a {@link TokenError} for the first rule `token` breaks. */
export function checkClaims({ header, payload }: SignedToken, rules: ClaimRules, now = Math.floor(Date.now() / 1000)): void {
  if (rules.type !== undefined && (typeof header.typ !== "string" || normalizeType(header.typ) !== normalizeType(rules.type))) {
    throw invalid("typ");
  }
  const { exp, nbf, iat, iss, aud, sub } = payload;
  if (exp === undefined) throw invalid("exp", "is missing");
  if (!isNumber(exp)) throw invalid("exp");
  if (exp <= now - rules.tolerance) throw new TokenError("expired", "The token has expired", "exp");
  if (nbf !== undefined) {
    if (!isNumber(nbf)) throw invalid("nbf");
    if (nbf > now + rules.tolerance) throw new TokenError("not_yet_valid", "The token is not valid yet", "nbf");
  }
  if (iat !== undefined && !isNumber(iat)) throw invalid("iat");
  if (rules.issuer !== undefined && iss !== rules.issuer) throw invalid("iss", iss === undefined ? "is missing" : "is invalid");
  if (rules.audience !== undefined) {
    if (aud === undefined) throw invalid("aud", "is missing");
    const given = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!given.some((a) => typeof a === "string" && rules.audience!.includes(a))) throw invalid("aud");
  }
  if (sub === undefined) throw invalid("sub", "is missing");
  if (typeof sub !== "string" || sub === "") throw invalid("sub");
  if (payload.scope !== undefined && typeof payload.scope !== "string") throw invalid("scope");
}

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

// RFC 7515 §4.1.9: media types are case-insensitive and "application/" may be left out.
function normalizeType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith("application/") ? lower.slice("application/".length) : lower;
}
