import { HTTPException } from "../errors/http-exception.ts";
import { SecurityScopes } from "./security-scopes.ts";

/**
 * Builds a `WWW-Authenticate` challenge (RFC 7235 §2.1 / §4.1): the scheme, then `name="value"` parameters.
 * Values are always sent as quoted-strings (RFC 9110 §5.6.4), escaping `\` and `"`, so a scope or realm can never
 * break out of its parameter. Parameters whose value is `undefined` or empty are left out.
 *
 * @example
 * challenge("Bearer", { scope: "items:read", error: "insufficient_scope" }); // Bearer scope="items:read", error="insufficient_scope"
 */
export function challenge(scheme: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    parts.push(`${name}="${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(", ")}`;
}

/** What an RFC 6750 §3.1 bearer error is about. */
export type BearerError = "invalid_request" | "invalid_token" | "insufficient_scope";

/** Options of {@link bearerChallenge}. */
export interface BearerChallengeOptions {
  /** The scopes the resource needs (RFC 6750 §3: `scope` may accompany any challenge). */
  scopes?: SecurityScopes | readonly string[];
  /** Omitted when the request carried no credentials at all (RFC 6750 §3.1: "SHOULD NOT include an error code"). */
  error?: BearerError;
  /** A developer-facing explanation; never the token itself. */
  description?: string;
  realm?: string;
}

/**
 * The `WWW-Authenticate` value of a bearer-token failure (RFC 6750 §3).
 * @example bearerChallenge({ error: "invalid_token", description: "The token has expired" })
 */
export function bearerChallenge(options: BearerChallengeOptions = {}): string {
  return challenge("Bearer", {
    realm: options.realm,
    scope: scopeString(options.scopes),
    error: options.error,
    error_description: options.description,
  });
}

/**
 * A 401 meaning "no credentials were sent" (or they were for another scheme), with the challenge to retry with.
 * @example throw notAuthenticated(bearerChallenge())
 */
export function notAuthenticated(wwwAuthenticate: string, detail = "Not authenticated"): HTTPException {
  return new HTTPException(401, detail, { "WWW-Authenticate": wwwAuthenticate });
}

/**
 * A 401 for a bearer token that is malformed, expired, forged or otherwise unusable (RFC 6750 §3.1
 * `invalid_token`). The description goes to the header; the body keeps FastAPI's generic detail.
 * @example throw invalidToken("The token has expired")
 */
export function invalidToken(description?: string, options: { scopes?: SecurityScopes | readonly string[]; detail?: string } = {}): HTTPException {
  const header = bearerChallenge({ scopes: options.scopes, error: "invalid_token", description });
  return new HTTPException(401, options.detail ?? "Could not validate credentials", { "WWW-Authenticate": header });
}

/**
 * Throws a 403 (RFC 6750 §3.1 `insufficient_scope`) unless every required scope was granted. `granted` is the
 * token's space-separated `scope` claim (RFC 9068 §2.2.3) or a list.
 *
 * @example
 * const getUser = Depends({ scopes: Scopes(), token: oauth2 }, async ({ scopes, token }) => {
 *   const claims = await tokens.verify(token);
 *   requireScopes(scopes, claims.scope);
 *   return claims.sub;
 * });
 */
export function requireScopes(required: SecurityScopes | readonly string[], granted: string | readonly string[] | undefined): void {
  const needed = required instanceof SecurityScopes ? required.scopes : required;
  if (needed.length === 0) return;
  const have = new Set(typeof granted === "string" ? splitScopes(granted) : (granted ?? []));
  for (const scope of needed) {
    if (!have.has(scope)) {
      // The scope parameter first, so clients matching `Bearer scope="…"` (FastAPI's tutorial) still do; RFC 7235
      // §2.1 makes parameter order insignificant.
      const header = challenge("Bearer", { scope: needed.join(" "), error: "insufficient_scope" });
      throw new HTTPException(403, "Not enough permissions", { "WWW-Authenticate": header });
    }
  }
}

/**
 * Splits an OAuth2 scope string (RFC 6749 §3.3: space-delimited, case-sensitive) into scopes.
 * @example splitScopes("me items:read"); // ["me", "items:read"]
 */
export function splitScopes(scope: string): string[] {
  return scope.split(" ").filter((s) => s !== "");
}

function scopeString(scopes: SecurityScopes | readonly string[] | undefined): string | undefined {
  if (scopes === undefined) return undefined;
  return scopes instanceof SecurityScopes ? scopes.scopeStr : scopes.join(" ");
}
