/**
 * Database constraint violations, read the same way on both drivers. Repositories turn the ones they expect into
 * precise HTTP errors (`username taken` → 409); the app's exception handler turns any other one into a generic
 * 409, so bad input never surfaces as a 500.
 */
import pg from "pg";
import { HTTPException } from "../../../src/index.ts";

export type ConstraintKind = "unique" | "foreign_key" | "not_null" | "check";

/** A violated constraint: its kind, and what the driver says about where (PostgreSQL is more talkative). */
export interface Violation {
  readonly kind: ConstraintKind;
  /** `users.username` (SQLite) or the constraint name (PostgreSQL), when known. */
  readonly target: string | undefined;
}

// SQLite extended result codes: https://www.sqlite.org/rescode.html#constraint
const SQLITE_KINDS: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key",
  SQLITE_CONSTRAINT_NOTNULL: "not_null",
  SQLITE_CONSTRAINT_CHECK: "check",
};

// PostgreSQL SQLSTATE class 23, integrity constraint violation: https://www.postgresql.org/docs/current/errcodes-appendix.html
const PG_KINDS: Record<string, ConstraintKind> = { "23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check" };

/** The constraint `error` violates, or `undefined` when it is not a constraint violation. */
export function violationOf(error: unknown): Violation | undefined {
  // better-sqlite3's SqliteError, recognized by shape: this module must not load the native driver (a
  // PostgreSQL deployment never needs it).
  if (error instanceof Error && error.name === "SqliteError" && typeof (error as { code?: unknown }).code === "string") {
    const code = (error as Error & { code: string }).code;
    // ON DELETE RESTRICT is enforced by SQLite as a trigger: same message, another code.
    const kind = code === "SQLITE_CONSTRAINT_TRIGGER" && error.message.startsWith("FOREIGN KEY") ? "foreign_key" : SQLITE_KINDS[code];
    // "UNIQUE constraint failed: users.username"
    return kind === undefined ? undefined : { kind, target: /constraint failed: (.+)$/.exec(error.message)?.[1] };
  }
  if (error instanceof pg.DatabaseError && error.code !== undefined) {
    const kind = PG_KINDS[error.code];
    return kind === undefined ? undefined : { kind, target: error.constraint };
  }
  return undefined;
}

/** How a repository words a violation it expects: status and message per kind. */
export type ViolationMessages = Partial<Record<ConstraintKind, readonly [status: number, code: string, message: string]>>;

/**
 * Runs `work`; a violation listed in `messages` becomes that HTTP error, anything else is re-thrown unchanged.
 *
 * @example
 * await translateViolations(() => insertUser(db, user), { unique: [409, "USERNAME_TAKEN", "Username already taken"] });
 */
export async function translateViolations<T>(work: () => Promise<T>, messages: ViolationMessages): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const violation = violationOf(error);
    const wording = violation && messages[violation.kind];
    if (wording) throw apiError(wording[0], wording[1], wording[2]);
    throw error;
  }
}

/** The body every error of the app carries: `{ error_code, message, details }` (see errors.ts). */
export interface ApiErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/**
 * An HTTP error with a machine-readable code, for the error envelope.
 * @example throw apiError(404, "ITEM_NOT_FOUND", "Item 42 does not exist");
 */
export function apiError(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>): HTTPException {
  const detail: ApiErrorDetail = details === undefined ? { code, message } : { code, message, details };
  return new HTTPException(status, detail, headers);
}

/** The generic answer to a violation nobody translated: 409, never a 500. */
export function genericViolation(violation: Violation): HTTPException {
  const messages: Record<ConstraintKind, string> = {
    unique: "A record with the same unique value already exists",
    foreign_key: "The request refers to a record that does not exist, or a record that others still refer to",
    not_null: "A required value is missing",
    check: "A value is out of the allowed range",
  };
  return apiError(409, "CONSTRAINT_VIOLATION", messages[violation.kind], violation.target === undefined ? undefined : { constraint: violation.target });
}
