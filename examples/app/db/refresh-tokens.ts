/**
 * Refresh tokens with rotation (RFC 9700 §4.14.2), stored in the database so every worker process and host sees
 * the same state: 256 random bits handed to the client, only their SHA-256 kept; each works once; presenting a
 * spent one revokes its whole family (every token descended from that login).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { now, type Database } from "./schema.ts";

export type ConsumeResult = { ok: true; userId: number; family: string } | { ok: false; reason: "unknown" | "expired" | "reused" };

// A fast hash is enough for a 256-bit random secret (passwords are another matter: argon2id).
function digestOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Issues a refresh token for `userId` in `family` (a new family at login). */
export async function issueRefreshToken(db: Kysely<Database>, userId: number, lifetimeDays: number, family: string = randomUUID()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + lifetimeDays * 86_400_000).toISOString();
  await db.insertInto("refresh_tokens").values({ digest: digestOf(token), user_id: userId, family, expires_at: expires, used_at: null, created_at: now() }).execute();
  return token;
}

/**
 * Spends a refresh token. The conditional UPDATE is the decision: of two requests racing with the same token,
 * exactly one sees `used_at IS NULL`; the other is treated as a reuse. Run it in the request's transaction, so the
 * revocation of a reused family commits even though the request is refused.
 */
export async function consumeRefreshToken(db: Kysely<Database>, token: string): Promise<ConsumeResult> {
  const digest = digestOf(token);
  const row = await db.selectFrom("refresh_tokens").select(["user_id", "family", "expires_at", "used_at"]).where("digest", "=", digest).executeTakeFirst();
  if (row === undefined) return { ok: false, reason: "unknown" };
  if (row.expires_at <= now()) return { ok: false, reason: "expired" };
  const spent = await db.updateTable("refresh_tokens").set({ used_at: now() }).where("digest", "=", digest).where("used_at", "is", null).executeTakeFirst();
  if (row.used_at !== null || spent.numUpdatedRows === 0n) {
    await revokeFamily(db, row.family);
    return { ok: false, reason: "reused" };
  }
  return { ok: true, userId: row.user_id, family: row.family };
}

/** Forgets every token of a family (logout, or reuse detected). */
export async function revokeFamily(db: Kysely<Database>, family: string): Promise<void> {
  await db.deleteFrom("refresh_tokens").where("family", "=", family).execute();
}

/** The family of a token, if it is known. */
export async function familyOf(db: Kysely<Database>, token: string): Promise<string | undefined> {
  const row = await db.selectFrom("refresh_tokens").select("family").where("digest", "=", digestOf(token)).executeTakeFirst();
  return row?.family;
}
