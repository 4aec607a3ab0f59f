/** Users: the queries the auth and admin routes need. */
import type { Kysely } from "kysely";
import { apiError, translateViolations } from "./errors.ts";
import { now, type Database, type UserRow } from "./schema.ts";

export const ROLES = ["user", "admin", "analyst"] as const;
export type Role = (typeof ROLES)[number];

/** A user as the API shows it (never the password hash). */
export interface UserView {
  id: number;
  username: string;
  email: string | null;
  full_name: string | null;
  roles: string[];
  disabled: boolean;
  created_at: string;
}

export function rolesOf(row: Pick<UserRow, "roles">): string[] {
  return row.roles.split(",").filter((role) => role !== "");
}

export function toUserView(row: UserRow): UserView {
  const { hashed_password: _secret, ...rest } = row;
  return { ...rest, roles: rolesOf(row), disabled: row.disabled !== 0 };
}

export function findUserByName(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
}

export function findUser(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A user that must exist: 404 otherwise. */
export async function getUser(db: Kysely<Database>, id: number): Promise<UserRow> {
  const row = await findUser(db, id);
  if (row === undefined) throw apiError(404, "USER_NOT_FOUND", `User ${id} does not exist`);
  return row;
}

export interface NewUserInput {
  username: string;
  hashedPassword: string;
  email?: string | null;
  fullName?: string | null;
  roles?: readonly Role[];
}

/** Inserts a user; a taken username is a 409 (the unique constraint decides, so two racing sign-ups cannot both win). */
export function createUser(db: Kysely<Database>, input: NewUserInput): Promise<UserRow> {
  return translateViolations(
    () =>
      db
        .insertInto("users")
        .values({
          username: input.username,
          hashed_password: input.hashedPassword,
          email: input.email ?? null,
          full_name: input.fullName ?? null,
          roles: (input.roles ?? ["user"]).join(","),
          created_at: now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    { unique: [409, "USERNAME_TAKEN", `Username ${JSON.stringify(input.username)} is already taken`] },
  );
}

export async function listUsers(db: Kysely<Database>, skip: number, limit: number): Promise<{ users: UserRow[]; total: number }> {
  const [users, total] = await Promise.all([
    db.selectFrom("users").selectAll().orderBy("id").limit(limit).offset(skip).execute(),
    db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { users, total: Number(total.n) };
}

export async function updateUser(db: Kysely<Database>, id: number, patch: { roles?: readonly Role[]; disabled?: boolean; hashedPassword?: string }): Promise<UserRow> {
  const values: { roles?: string; disabled?: number; hashed_password?: string } = {};
  if (patch.roles !== undefined) values.roles = [...new Set(patch.roles)].join(",");
  if (patch.disabled !== undefined) values.disabled = patch.disabled ? 1 : 0;
  if (patch.hashedPassword !== undefined) values.hashed_password = patch.hashedPassword;
  if (Object.keys(values).length === 0) return getUser(db, id);
  const row = await db.updateTable("users").set(values).where("id", "=", id).returningAll().executeTakeFirst();
  if (row === undefined) throw apiError(404, "USER_NOT_FOUND", `User ${id} does not exist`);
  return row;
}

/** Deletes a user; one who still owns items is refused with 409 (the foreign key is RESTRICT). */
export async function deleteUser(db: Kysely<Database>, id: number): Promise<void> {
  const result = await translateViolations(() => db.deleteFrom("users").where("id", "=", id).executeTakeFirst(), {
    foreign_key: [409, "USER_HAS_ITEMS", `User ${id} still owns items: delete or reassign them first`],
  });
  if (result.numDeletedRows === 0n) throw apiError(404, "USER_NOT_FOUND", `User ${id} does not exist`);
}
