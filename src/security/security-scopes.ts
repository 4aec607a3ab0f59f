import { SCOPES_BRAND, type Marker } from "../params/marker.ts";

/**
 * The OAuth2 scopes required by every `Security(dep, { scopes })` on the path from the route down to the
 * dependency that receives this (FastAPI's `SecurityScopes`). A token-checking dependency compares them with the
 * token's scopes and answers 403 when one is missing.
 *
 * @example
 * const getCurrentUser = Depends({ scopes: Scopes(), token: oauth2 }, async ({ scopes, token }) => {
 *   const claims = await tokens.verify(token);
 *   requireScopes(scopes, claims.scope); // 403 `Bearer scope="items me", error="insufficient_scope"`
 *   return claims.sub;
 * });
 */
export class SecurityScopes {
  /** The required scopes, in declaration order, without duplicates. */
  readonly scopes: readonly string[];
  constructor(scopes: readonly string[]) {
    this.scopes = scopes;
  }
  /** The scopes space-separated, as they appear in `WWW-Authenticate: Bearer scope="…"`. */
  get scopeStr(): string {
    return this.scopes.join(" ");
  }
}

/** The marker that injects {@link SecurityScopes}. */
export class ScopesMarker implements Marker<SecurityScopes> {
  readonly [SCOPES_BRAND] = true;
  declare readonly "~value"?: SecurityScopes;
}

/**
 * Declares a parameter that receives the {@link SecurityScopes} required above this dependency.
 * @example const getUser = Depends({ scopes: Scopes(), token: oauth2 }, ({ scopes, token }) => check(token, scopes.scopes));
 */
export function Scopes(): ScopesMarker {
  return new ScopesMarker();
}

/** True for {@link Scopes} markers. */
export function isScopesMarker(value: unknown): value is ScopesMarker {
  return value instanceof ScopesMarker;
}
