/**
 * Who is calling, and what they may do (seed examples 30–32): OAuth2 password flow with short-lived JWT access
 * tokens that carry the user's id and roles. Checking a request costs a signature check, no database query: a
 * role change or a disabled account takes effect at the next refresh (at most `ACCESS_TOKEN_MINUTES`).
 */
import { z } from "zod";
import { AccessTokens, Depends, OAuth2PasswordBearer, currentUserVar, hasRequestContext, roleGuard, type Dependency } from "../../src/index.ts";
import type { AppSettings } from "./settings.ts";

/** The authenticated caller, as the access token describes them. */
export interface AuthUser {
  readonly id: number;
  readonly username: string;
  readonly roles: readonly string[];
}

/** The security pieces of one app instance (they depend on its settings: secret, lifetimes). */
export interface Auth {
  readonly tokens: AccessTokens<{ uid: number; roles: string[] }>;
  readonly oauth2: OAuth2PasswordBearer;
  /** The caller; 401 (with `WWW-Authenticate`) without a valid token. */
  readonly currentUser: Dependency<AuthUser>;
  /** `requireRole("admin")`: the caller if they hold any of the roles; 403 otherwise. */
  readonly requireRole: (...roles: string[]) => Dependency<AuthUser>;
}

export function createAuth(settings: AppSettings): Auth {
  const tokens = new AccessTokens({
    algorithm: "HS256",
    secret: settings.secret_key,
    expiresIn: `${settings.access_token_minutes}m`,
    claims: z.object({ uid: z.int(), roles: z.array(z.string()).default([]) }),
  });

  // tokenUrl is relative to the OpenAPI document, so Swagger UI's Authorize posts to /token.
  const oauth2 = new OAuth2PasswordBearer({
    tokenUrl: "token",
    refreshUrl: "token/refresh",
    description: "Log in with a demo account (printed at startup): admin, analyst or demo.",
  });

  const currentUser = Depends({ token: oauth2 }, async function currentUser({ token }): Promise<AuthUser> {
    const claims = await tokens.authenticate(token); // 401 when expired, forged or malformed
    const user: AuthUser = { id: claims.uid, username: claims.sub, roles: claims.roles };
    // For code far from the handler (the access log): who made this request.
    if (hasRequestContext()) currentUserVar.set(user);
    return user;
  });

  return { tokens, oauth2, currentUser, requireRole: roleGuard(currentUser, (user) => user.roles) };
}
