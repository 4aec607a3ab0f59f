/**
 * Transaction per request (seed examples 33 and 52): a generator dependency opens a transaction, hands it to the
 * handler, commits when the handler returns and rolls back when it throws — so a request that fails half-way
 * leaves no half-written rows. Work that must only happen once the data is really there (cache invalidation,
 * "new item" events) is queued with `afterCommit`.
 */
import type { Kysely, Transaction } from "kysely";
import { Depends, type Dependency, type Logger } from "../../../src/index.ts";
import type { Database } from "./schema.ts";

/** What a handler receives: the open transaction, and a queue of work to run after a successful commit. */
export interface Session {
  readonly db: Transaction<Database>;
  /** Runs `task` after the commit; never when the request rolls back. A failing task is logged, not answered. */
  afterCommit(task: () => unknown): void;
}

/**
 * The session dependency for a database. Scope `"function"`: the commit runs before the response is sent, so a
 * failing commit is answered as an error, and a client that got 201 can read its row on the next request.
 *
 * On SQLite there is one connection: a request holding a session must run all its queries through `session.db`
 * (a query on the root `db` would wait for the transaction to end — forever).
 */
export function sessionDependency(database: () => Kysely<Database>, logger: Logger): Dependency<Session> {
  return Depends(
    async function* session(): AsyncGenerator<Session, void, undefined> {
      const trx = await database().startTransaction().execute();
      const tasks: Array<() => unknown> = [];
      try {
        yield { db: trx, afterCommit: (task) => void tasks.push(task) };
      } catch (error) {
        // The handler (or a dependency after this one) failed: undo everything it wrote, then let the error
        // reach the exception handlers, which answer it.
        await trx.rollback().execute().catch((failure: unknown) => logger.error("Rolling back failed", failure));
        throw error;
      }
      try {
        await trx.commit().execute();
      } catch (error) {
        // kysely keeps the connection checked out after most failed commits: a rollback hands it back.
        if (!trx.isRolledBack) await trx.rollback().execute().catch(() => undefined);
        throw error;
      }
      for (const task of tasks) {
        try {
          await task();
        } catch (error) {
          logger.error("A task after commit failed", error);
        }
      }
    },
    { scope: "function" },
  );
}
