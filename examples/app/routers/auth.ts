/**
 * Accounts and tokens: sign-up, `POST /token` (OAuth2 password flow, what Swagger UI's Authorize calls), refresh
 * with rotation, logout, and the caller's profile.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { Body, Depends, Form, JSONResponse, OAuth2PasswordRequestForm, RateLimiter, Router, hashPassword, verifyPassword } from "../../../src/index.ts";
import { apiError } from "../db/errors.ts";
import { consumeRefreshToken, familyOf, issueRefreshToken, revokeFamily } from "../db/refresh-tokens.ts";
import type { Database, UserRow } from "../db/schema.ts";
import { createUser, findUser, findUserByName, rolesOf, toUserView } from "../db/users.ts";
import type { AppDeps } from "../deps.ts";
import { ErrorResponse, TokenPair, User, UserCreate } from "../models.ts";

export function authRouter(deps: AppDeps): Router {
  const { services, tokens, database, session, currentUser } = deps;
  const settings = services.settings;
  const router = new Router({ tags: ["auth"] });

  // Per client IP: slows password guessing without locking the victim's account.
  const loginLimit = new RateLimiter({ limit: settings.login_rate_limit, window: 60, store: services.rateLimits, name: "login", detail: "Too many login attempts: try again in a minute" });

  async function tokenPair(db: Kysely<Database>, user: UserRow, family?: string) {
    const access_token = await tokens.create({ sub: user.username, uid: user.id, roles: rolesOf(user) });
    const refresh_token = await issueRefreshToken(db, user.id, settings.refresh_token_days, family);
    return { access_token, refresh_token, token_type: "bearer" as const, expires_in: settings.access_token_minutes * 60 };
  }

  // RFC 6749 §5.2: the token endpoint's own error shape, which OAuth2 clients understand; never cached (§5.1).
  const invalidGrant = (description: string) =>
    new JSONResponse({ error: "invalid_grant", error_description: description }, { status: 400, headers: { "cache-control": "no-store" } });

  router.post(
    "/token",
    {
      params: { form: OAuth2PasswordRequestForm, db: database },
      dependencies: [Depends(loginLimit)],
      response: TokenPair,
      summary: "Log in (OAuth2 password flow)",
      responses: { 401: { description: "Wrong username or password", model: ErrorResponse }, 429: { description: "Too many attempts", model: ErrorResponse } },
    },
    async function login({ form, db }, ctx) {
      // No transaction held while argon2 runs (tens of ms): a read, the check, then one insert.
      const user = await findUserByName(db, form.username.trim().toLowerCase());
      // Always verify (a dummy hash for unknown users), so timing does not reveal who has an account.
      const ok = await verifyPassword(user?.hashed_password, form.password);
      if (!ok || user === undefined) throw apiError(401, "BAD_CREDENTIALS", "Incorrect username or password", undefined, { "WWW-Authenticate": "Bearer" });
      if (user.disabled) throw apiError(403, "ACCOUNT_DISABLED", "This account is disabled");
      ctx.response.setHeader("cache-control", "no-store");
      return tokenPair(db, user);
    },
  );

  router.post(
    "/token/refresh",
    {
      params: { grant_type: Form(z.literal("refresh_token")), refresh_token: Form(z.string().min(1).max(100).meta({ format: "password" })), s: session },
      response: TokenPair,
      summary: "Exchange a refresh token for a new pair (rotation)",
      description: "Each refresh token works once. Presenting a spent one revokes every token of that login (RFC 9700 §4.14.2).",
      responses: { 400: { description: "`{\"error\": \"invalid_grant\"}` (RFC 6749 §5.2)" } },
    },
    async function refresh({ refresh_token, s }, ctx) {
      const result = await consumeRefreshToken(s.db, refresh_token);
      // Returned, not thrown: the revocation of a reused family must be committed.
      if (!result.ok) return invalidGrant(result.reason === "reused" ? "Refresh token reuse detected; the session was revoked" : "Invalid or expired refresh token");
      const user = await findUser(s.db, result.userId);
      if (user === undefined || user.disabled) {
        await revokeFamily(s.db, result.family);
        return invalidGrant("The account no longer exists or is disabled");
      }
      ctx.response.setHeader("cache-control", "no-store");
      return tokenPair(s.db, user, result.family); // current roles: a role change takes effect here
    },
  );

  router.post("/logout", { params: { refresh_token: Form(z.string().min(1).max(100)), s: session }, status: 204, summary: "Revoke a login's refresh tokens" }, async function logout({ refresh_token, s }) {
    const family = await familyOf(s.db, refresh_token);
    if (family !== undefined) await revokeFamily(s.db, family);
  });

  router.post(
    "/users",
    { params: { body: Body(UserCreate), db: database }, response: User, status: 201, summary: "Sign up", responses: { 409: { description: "Username taken", model: ErrorResponse } } },
    async function signUp({ body, db }) {
      const hashedPassword = await hashPassword(body.password);
      return toUserView(await createUser(db, { username: body.username, hashedPassword, email: body.email, fullName: body.full_name }));
    },
  );

  router.get("/users/me", { params: { me: currentUser, db: database }, response: User, summary: "Your profile" }, async function readMe({ me, db }) {
    const row = await findUser(db, me.id);
    if (row === undefined) throw apiError(401, "USER_GONE", "This account no longer exists", undefined, { "WWW-Authenticate": "Bearer" });
    return toUserView(row);
  });

  return router;
}
