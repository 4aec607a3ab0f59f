/**
 * Refresh-token rotation: short-lived JWT access tokens, long-lived opaque refresh tokens that are single use.
 *
 * - `POST /token` (password grant) answers an access token (15 min) and a refresh token (14 days).
 * - `POST /token/refresh` (`grant_type=refresh_token`, RFC 6749 §6) consumes the refresh token and answers a new
 *   pair. Each refresh token works **once**: presenting a used one means it was stolen (or the client is buggy),
 *   so the whole family — every token descended from that login — is revoked (RFC 9700 §4.14.2).
 * - `POST /logout` revokes the family of the given refresh token.
 *
 * Refresh tokens are 256 random bits, stored only as SHA-256 digests: a leaked table cannot be replayed, and a
 * fast hash is enough for a secret with that much entropy (passwords are another matter: argon2id). The store is
 * in memory here; in a cluster it lives in Redis or PostgreSQL behind the same small interface.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { App, Depends, Form, HTTPException, JSONResponse } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, OAuth2PasswordRequestForm, hashPassword, verifyPassword } from "../../src/security/index.ts";

// DEV ONLY: a fixed secret so the example runs as is. Any real deployment sets SECRET_KEY (32+ random bytes).
const DEV_ONLY_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production";
if (process.env.NODE_ENV === "production" && !process.env.SECRET_KEY) throw new Error("Set SECRET_KEY: the development secret is public.");

export const tokens = new AccessTokens({ algorithm: "HS256", secret: process.env.SECRET_KEY ?? DEV_ONLY_SECRET_KEY, expiresIn: "15m" });
export const REFRESH_TOKEN_LIFETIME_MS = 14 * 24 * 3600 * 1000;

interface RefreshRecord {
  readonly username: string;
  readonly family: string;
  readonly expiresAt: number;
  used: boolean;
}

/** Refresh tokens by digest, and the digests of each family (one family per login). */
export class RefreshTokenStore {
  readonly #byDigest = new Map<string, RefreshRecord>();
  readonly #families = new Map<string, Set<string>>();

  /** Issues a refresh token for `username`, in `family` (a new one at login). */
  issue(username: string, family: string = randomUUID()): string {
    const token = randomBytes(32).toString("base64url");
    const digest = digestOf(token);
    this.#byDigest.set(digest, { username, family, expiresAt: Date.now() + REFRESH_TOKEN_LIFETIME_MS, used: false });
    let members = this.#families.get(family);
    if (members === undefined) this.#families.set(family, (members = new Set()));
    members.add(digest);
    return token;
  }

  /**
   * Consumes a refresh token: returns its user and family, or why it was refused. A second use of the same token
   * revokes its family, so neither the thief nor the victim can continue with it.
   */
  consume(token: string): { ok: true; username: string; family: string } | { ok: false; reason: "unknown" | "expired" | "reused" } {
    const record = this.#byDigest.get(digestOf(token));
    if (record === undefined) return { ok: false, reason: "unknown" };
    if (record.used) {
      this.revokeFamily(record.family);
      return { ok: false, reason: "reused" };
    }
    if (record.expiresAt <= Date.now()) return { ok: false, reason: "expired" };
    record.used = true;
    return { ok: true, username: record.username, family: record.family };
  }

  /** Forgets every token of a family (logout, or reuse detected). */
  revokeFamily(family: string): void {
    for (const digest of this.#families.get(family) ?? []) this.#byDigest.delete(digest);
    this.#families.delete(family);
  }

  /** The family of a live token, if any (for logout). */
  familyOf(token: string): string | undefined {
    return this.#byDigest.get(digestOf(token))?.family;
  }
}

// Lookups go by digest, so the comparison that decides is between digests of a 256-bit secret: timing reveals
// nothing an attacker can use without a SHA-256 preimage.
function digestOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export const refreshTokens = new RefreshTokenStore();
const users = new Map([["alice", { username: "alice", hashedPassword: await hashPassword("secret") }]]);
export const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", refreshUrl: "token/refresh" });

const TokenPair = z
  .object({ access_token: z.string(), refresh_token: z.string(), token_type: z.literal("bearer"), expires_in: z.int() })
  .meta({ id: "TokenPair" });

export const app = new App({ title: "Refresh-token rotation" });

async function tokenPair(username: string, family?: string) {
  const access_token = await tokens.create({ sub: username });
  return { access_token, refresh_token: refreshTokens.issue(username, family), token_type: "bearer" as const, expires_in: 15 * 60 };
}

// RFC 6749 §5.2: token-endpoint errors are 400 `{"error": "invalid_grant"}`, never cached (§5.1).
function invalidGrant(description: string): JSONResponse {
  return new JSONResponse({ error: "invalid_grant", error_description: description }, { status: 400, headers: { "cache-control": "no-store" } });
}

app.post("/token", { params: { form: OAuth2PasswordRequestForm }, response: TokenPair }, async function login({ form }, ctx) {
  const user = users.get(form.username);
  const ok = await verifyPassword(user?.hashedPassword, form.password);
  if (!ok || user === undefined) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
  ctx.response.setHeader("cache-control", "no-store");
  return tokenPair(user.username);
});

const RefreshGrant = { grant_type: Form(z.literal("refresh_token")), refresh_token: Form(z.string().min(1).meta({ format: "password" })) };

app.post("/token/refresh", { params: RefreshGrant, response: TokenPair }, async function refresh({ refresh_token }, ctx) {
  const result = refreshTokens.consume(refresh_token);
  if (!result.ok) {
    return invalidGrant(result.reason === "reused" ? "Refresh token reuse detected; the session was revoked" : "Invalid or expired refresh token");
  }
  ctx.response.setHeader("cache-control", "no-store");
  return tokenPair(result.username, result.family);
});

app.post("/logout", { params: { refresh_token: Form(z.string()) }, status: 204 }, function logout({ refresh_token }) {
  const family = refreshTokens.familyOf(refresh_token);
  if (family !== undefined) refreshTokens.revokeFamily(family);
});

const getCurrentUser = Depends({ token: oauth2Scheme }, async function getCurrentUser({ token }) {
  return (await tokens.authenticate(token)).sub;
});

app.get("/users/me", { params: { username: getCurrentUser } }, function readMe({ username }) {
  return { username };
});
