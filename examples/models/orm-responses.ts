/**
 * Responses from class instances and ORM rows, with the values JSON has no type for.
 *
 * A response model reads its fields as properties — own data, prototype getters, ORM accessors — so an entity
 * class is returned as it is, and only the model's fields are sent (no leaked columns). Dates are written as ISO
 * strings, `bigint` ids as exact integers, money as decimal strings, bytes as base64. See `docs/models.md`.
 */
import { z } from "zod";
import { App, bytes, dateTime, decimal, HTTPException, int64, model, Path, toCamel } from "../../src/index.ts";

/** The columns of an `accounts` row. */
export interface AccountColumns {
  id: bigint;
  owner_name: string;
  balance: string;
  opened_at: Date;
  avatar: Uint8Array;
  password_hash: string;
}

/** An ORM-style entity: columns kept privately and exposed through getters, one of them secret, plus a method. */
export class AccountRow {
  readonly #columns: AccountColumns;

  constructor(columns: AccountColumns) {
    this.#columns = columns;
  }

  get id(): bigint {
    return this.#columns.id;
  }
  get owner_name(): string {
    return this.#columns.owner_name;
  }
  get balance(): string {
    return this.#columns.balance;
  }
  get opened_at(): Date {
    return this.#columns.opened_at;
  }
  get avatar(): Uint8Array {
    return this.#columns.avatar;
  }
  get password_hash(): string {
    return this.#columns.password_hash;
  }
  checkPassword(candidate: string): boolean {
    return candidate === this.#columns.password_hash;
  }
}

export const Account = model(
  { id: int64(), owner_name: z.string(), balance: decimal(), opened_at: dateTime(), avatar: bytes() },
  { id: "Account", aliasGenerator: toCamel },
).computed({
  years_open: { schema: z.int(), get: (a) => new Date("2026-01-01T00:00:00Z").getUTCFullYear() - a.opened_at.getUTCFullYear() },
});

export const accounts = new Map<string, AccountRow>([
  [
    "1",
    new AccountRow({
      id: 9007199254740993n, // beyond Number.MAX_SAFE_INTEGER: a JSON number would lose it
      owner_name: "Ada",
      balance: "1234.50",
      opened_at: new Date("2019-03-04T05:06:07.890Z"),
      avatar: new Uint8Array([137, 80, 78, 71]),
      password_hash: "$argon2id$...",
    }),
  ],
]);

export const app = new App({ title: "ORM responses" });

app.get("/accounts/{account_id}", { params: { account_id: Path() }, response: Account }, ({ account_id }) => {
  const row = accounts.get(account_id);
  if (row === undefined) throw new HTTPException(404, "Account not found");
  return row;
});

// Without a response model the same values follow the same rules (the whole object is sent, so pick the fields).
app.get("/accounts/{account_id}/raw", { params: { account_id: Path() } }, ({ account_id }) => {
  const row = accounts.get(account_id);
  if (row === undefined) throw new HTTPException(404, "Account not found");
  return { id: row.id, opened_at: row.opened_at, avatar: row.avatar, tags: new Set(["vip"]), limits: new Map([["daily", 500]]) };
});
