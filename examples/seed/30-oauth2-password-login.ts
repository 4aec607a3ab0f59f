/**
 * Seed example 30 — OAuth2 password flow: the login endpoint.
 *
 * `POST /token` reads `username` and `password` from an `application/x-www-form-urlencoded` body
 * (OAuth2PasswordRequestForm), checks them against a stored hash and answers `{access_token, token_type}`. Two
 * things differ from the seed, on purpose:
 * - the password hash is argon2id, not SHA-256 (the seed's own comments call SHA-256 insecure for passwords);
 * - the token is a real signed JWT, not `fake-token-for-alice`.
 * `GET /users/me` is added so that declaring OAuth2PasswordBearer has a visible effect: the docs get an
 * **Authorize** button that logs in through `POST /token`.
 */
import { z } from "zod";
import { App, Depends, HTTPException } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, OAuth2PasswordRequestForm, hashPassword, verifyPassword } from "../../src/security/index.ts";

// DEV ONLY: a fixed secret so the example runs as is. Any real deployment sets SECRET_KEY (32+ random bytes).
const DEV_ONLY_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production";
if (process.env.NODE_ENV === "production" && !process.env.SECRET_KEY) throw new Error("Set SECRET_KEY: the development secret is public.");
const SECRET_KEY = process.env.SECRET_KEY ?? DEV_ONLY_SECRET_KEY;

export const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET_KEY, expiresIn: "30m" });

interface UserInDb {
  username: string;
  email: string;
  disabled: boolean;
  hashedPassword: string;
}

// A Map, not an object literal: a username like "__proto__" or "constructor" must find nobody.
export const fakeUsersDb = new Map<string, UserInDb>([
  ["alice", { username: "alice", email: "alice@example.com", disabled: false, hashedPassword: await hashPassword("secret") }],
]);

// Declares where tokens come from (POST /token) and puts the Authorize button in Swagger UI.
export const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });

const Token = z.object({ access_token: z.string(), token_type: z.string() }).meta({ id: "Token" });
const User = z.object({ username: z.string(), email: z.string() }).meta({ id: "User" });

export const app = new App({ title: "OAuth2 password login" });

app.post("/token", { params: { form_data: OAuth2PasswordRequestForm }, response: Token }, async function login({ form_data }, ctx) {
  const user = fakeUsersDb.get(form_data.username);
  // Always run the argon2 check, even for an unknown user, so response time does not reveal which users exist.
  const ok = await verifyPassword(user?.hashedPassword, form_data.password);
  if (!ok || user === undefined) {
    // RFC 6750 §3 / FastAPI: a 401 names the scheme to authenticate with.
    throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
  }
  // RFC 6749 §5.1: token responses must not be cached.
  ctx.response.setHeader("cache-control", "no-store");
  return { access_token: await tokens.create({ sub: user.username }), token_type: "bearer" };
});

const getCurrentUser = Depends({ token: oauth2Scheme }, async function getCurrentUser({ token }) {
  const claims = await tokens.authenticate(token);
  const user = fakeUsersDb.get(claims.sub);
  if (user === undefined) throw new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": "Bearer" });
  return user;
});

// The response model filters the user: the password hash never leaves the server.
app.get("/users/me", { params: { user: getCurrentUser }, response: User }, function readUsersMe({ user }) {
  return user;
});
