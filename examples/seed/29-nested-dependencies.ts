/**
 * Seed example 29 — nested dependencies and per-request caching.
 *
 * Two repositories depend on the same generator dependency `getDb`. Within one request it is called once, so both
 * repositories share one connection; its teardown closes the connection after the response.
 */
import { z } from "zod";
import { App, Depends, Path } from "../../src/index.ts";

/** Where the example prints; tests replace it to read the output. */
export const output = { print: (line: string): void => console.log(line) };

/** A simulated database connection. */
export class DBConnection {
  closed = false;

  constructor(readonly connStr: string) {
    output.print(`[DB] Opened connection to ${connStr}`);
  }

  close(): void {
    this.closed = true;
    output.print(`[DB] Closed connection to ${this.connStr}`);
  }
}

/** Level 1: opens a connection, hands it over, always closes it. */
export function* getDb(): Generator<DBConnection> {
  const db = new DBConnection("postgresql://localhost/mydb");
  try {
    yield db;
  } finally {
    db.close();
  }
}

const db = Depends(getDb);

/** Level 2: two repositories over the same (cached) connection. */
export const getUserRepo = Depends({ db }, ({ db }) => ({ repo: "UserRepo", db }));
export const getOrderRepo = Depends({ db }, ({ db }) => ({ repo: "OrderRepo", db }));

export const app = new App({ title: "Nested dependencies" });

app.get("/orders/user/{user_id}", {
  params: { user_id: Path(z.int()), userRepo: getUserRepo, orderRepo: getOrderRepo },
}, ({ user_id, userRepo, orderRepo }) => ({
  user_id,
  user_repo: userRepo.repo,
  order_repo: orderRepo.repo,
  // The seed compares connection strings; the same object is the stronger proof.
  same_db: userRepo.db === orderRepo.db,
}));
