/**
 * Seed example 32 — role-based access control.
 *
 * The token carries the user's roles in a `roles` claim; `getCurrentUser` turns a valid token into a `User`
 * (401 "Invalid token" otherwise) and `requireRole(...roles)` builds dependencies that let a user through when
 * they hold **any** of the roles, or answer 403 `Requires role(s): …`. `GET /profile` needs any signed-in user,
 * `DELETE /admin/users/{user_id}` the admin role, `GET /reports` admin or analyst. `POST /token` is added (the
 * seed has none) so the example can be tried from the docs.
 */
import { z } from "zod";
import { App, Depends, HTTPException, Path } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, OAuth2PasswordRequestForm, hashPassword, roleGuard, verifyPassword } from "../../src/security/index.ts";

// DEV ONLY: a fixed secret so the example runs as is. Any real deployment sets SECRET_KEY (32+ random bytes).
const DEV_ONLY_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production";
if (process.env.NODE_ENV === "production" && !process.env.SECRET_KEY) throw new Error("Set SECRET_KEY: the development secret is public.");
const SECRET_KEY = process.env.SECRET_KEY ?? DEV_ONLY_SECRET_KEY;

// The `roles` claim is checked by a schema on every verify; a token without it has no roles (the seed's
// `payload.get("roles", [])`).
export const tokens = new AccessTokens({
  algorithm: "HS256",
  secret: SECRET_KEY,
  expiresIn: "30m",
  claims: z.object({ roles: z.array(z.string()).default([]) }),
});
export const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });

export const User = z.object({ username: z.string(), roles: z.array(z.string()) }).meta({ id: "User" });
export type User = z.infer<typeof User>;

/** Verifies a token and reads the user from it; 401 "Invalid token" when it cannot be trusted. */
export async function decodeToken(token: string): Promise<User> {
  const claims = await tokens.authenticate(token, { detail: "Invalid token" });
  return { username: claims.sub, roles: claims.roles };
}

export const getCurrentUser = Depends({ token: oauth2Scheme }, function getCurrentUser({ token }) {
  return decodeToken(token);
});

/** `requireRole("admin")`, `requireRole("admin", "analyst")`: the user, if they hold any of the roles; else 403. */
export const requireRole = roleGuard(getCurrentUser, (user) => user.roles);

export const app = new App({ title: "Role-based access" });

app.get("/profile", { params: { user: getCurrentUser } }, function userProfile({ user }) {
  return { username: user.username, roles: user.roles };
});

app.delete("/admin/users/{user_id}", { params: { user_id: Path(z.number().int()), admin: requireRole("admin") } }, function adminDeleteUser({ user_id, admin }) {
  return { deleted: user_id, by: admin.username };
});

app.get("/reports", { params: { user: requireRole("admin", "analyst") } }, function viewReports({ user }) {
  return { reports: [], viewer: user.username };
});

// --- Login (not in the seed) -------------------------------------------------------------------------------

// DEV ONLY demo accounts; every password is "secret".
const accounts = new Map<string, { roles: string[]; hashedPassword: string }>();
for (const [username, roles] of [["alice", ["user", "admin"]], ["bob", ["user"]], ["carol", ["user", "analyst"]]] as const) {
  accounts.set(username, { roles: [...roles], hashedPassword: await hashPassword("secret") });
}

const Token = z.object({ access_token: z.string(), token_type: z.string() }).meta({ id: "Token" });

app.post("/token", { params: { form_data: OAuth2PasswordRequestForm }, response: Token }, async function login({ form_data }, ctx) {
  const account = accounts.get(form_data.username);
  const ok = await verifyPassword(account?.hashedPassword, form_data.password);
  if (!ok || account === undefined) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
  ctx.response.setHeader("cache-control", "no-store");
  return { access_token: await tokens.create({ sub: form_data.username, roles: account.roles }), token_type: "bearer" };
});
