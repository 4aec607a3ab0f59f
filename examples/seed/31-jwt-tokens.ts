/**
 * Seed example 31 — JWT creation and verification.
 *
 * `createAccessToken(data, expiresDelta?)` signs a JWT with an `exp` claim (15 minutes unless told otherwise);
 * `getCurrentUser` verifies it — signature, algorithm, expiry — and hands the username to `GET /users/me`. Any
 * failure is a 401 "Could not validate credentials" with `WWW-Authenticate: Bearer …`. The seed shows no login
 * route; `POST /token` is added (argon2id password check) so the docs' Authorize button works end to end.
 *
 * Where the seed uses python-jose, `AccessTokens` (on jose) pins the algorithm on verify, so `alg: none` and
 * HS256-signed-with-a-public-key forgeries are refused, and requires `exp` and `sub`.
 */
import { z } from "zod";
import { App, Depends, HTTPException } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, OAuth2PasswordRequestForm, hashPassword, verifyPassword } from "../../src/security/index.ts";

// DEV ONLY: a fixed secret so the example runs as is. Any real deployment sets SECRET_KEY (32+ random bytes).
const DEV_ONLY_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production";
if (process.env.NODE_ENV === "production" && !process.env.SECRET_KEY) throw new Error("Set SECRET_KEY: the development secret is public.");
const SECRET_KEY = process.env.SECRET_KEY ?? DEV_ONLY_SECRET_KEY;
const ALGORITHM = "HS256";
export const ACCESS_TOKEN_EXPIRE_MINUTES = 30;

// Tokens live 15 minutes unless the caller says otherwise, as in the seed.
export const tokens = new AccessTokens({ algorithm: ALGORITHM, secret: SECRET_KEY, expiresIn: "15m" });

/** Signs `data` (which must name the user in `sub`) with an `exp` claim `expiresDelta` seconds ahead. */
export function createAccessToken(data: { sub: string; [claim: string]: unknown }, expiresDelta?: number): Promise<string> {
  return tokens.create(data, expiresDelta === undefined ? {} : { expiresIn: expiresDelta });
}

export const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });

const users = new Map([["alice", { username: "alice", hashedPassword: await hashPassword("secret") }]]);

export const app = new App({ title: "JWT tokens" });

const Token = z.object({ access_token: z.string(), token_type: z.string() }).meta({ id: "Token" });

app.post("/token", { params: { form_data: OAuth2PasswordRequestForm }, response: Token }, async function login({ form_data }, ctx) {
  const user = users.get(form_data.username);
  const ok = await verifyPassword(user?.hashedPassword, form_data.password);
  if (!ok || user === undefined) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
  ctx.response.setHeader("cache-control", "no-store");
  const access_token = await createAccessToken({ sub: user.username }, ACCESS_TOKEN_EXPIRE_MINUTES * 60);
  return { access_token, token_type: "bearer" };
});

/** Verifies the bearer token and returns the username in its `sub` claim; 401 for anything untrustworthy. */
export const getCurrentUser = Depends({ token: oauth2Scheme }, async function getCurrentUser({ token }) {
  // Signature, pinned algorithm, expiry and the presence of `sub` are all checked by verify; a failure becomes a
  // 401 whose WWW-Authenticate says why (RFC 6750 §3.1), while the body stays generic.
  const claims = await tokens.authenticate(token);
  return claims.sub;
});

app.get("/users/me", { params: { current_user: getCurrentUser } }, function getMe({ current_user }) {
  return { username: current_user };
});
