/**
 * Seed example 52 — async generator dependencies.
 *
 * An `async function*` dependency opens a resource, yields it to the handler and cleans up after the response —
 * even when the handler throws. `getTransaction` commits or rolls back: it sees the handler's error at `yield`.
 */
import { App, Depends } from "../../src/index.ts";

/** Where the example prints; tests replace it to read the output. */
export const output = { print: (line: string): void => console.log(line) };

/** A simulated HTTP client session. */
export class AsyncHTTPSession {
  closed = false;

  constructor(readonly baseUrl: string) {
    output.print(`[Session] Opened connection to ${baseUrl}`);
  }

  async get(path: string): Promise<{ url: string; data: string }> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { url: `${this.baseUrl}${path}`, data: "response" };
  }

  async close(): Promise<void> {
    this.closed = true;
    output.print(`[Session] Closed connection to ${this.baseUrl}`);
  }
}

/** Every session handed out, so tests can check each one was closed. */
export const sessions: AsyncHTTPSession[] = [];

// FastAPI: an `async def` generator; the `finally` runs after the response, like the default scope "request" here.
export async function* getHttpSession(): AsyncGenerator<AsyncHTTPSession> {
  const session = new AsyncHTTPSession("https://api.external-service.com");
  sessions.push(session);
  try {
    yield session;
  } finally {
    await session.close();
  }
}

/** A simulated database transaction. */
export class DatabaseTransaction {
  committed = false;
  rolledBack = false;

  async commit(): Promise<void> {
    this.committed = true;
    output.print("[TX] Transaction committed");
  }

  async rollback(): Promise<void> {
    this.rolledBack = true;
    output.print("[TX] Transaction rolled back");
  }
}

/** Rolls back when the handler fails, or when it finished without committing. */
export async function* getTransaction(): AsyncGenerator<DatabaseTransaction> {
  const tx = new DatabaseTransaction();
  try {
    yield tx;
    if (!tx.committed) await tx.rollback();
  } catch (error) {
    await tx.rollback();
    throw error;
  }
}

export const app = new App({ title: "Async generator dependencies" });

app.get("/external-data", { params: { session: Depends(getHttpSession) } }, async ({ session }) => session.get("/users"));

// The routes below are not in the seed: they exercise the failure path and the transaction.
app.get("/external-data/broken", { params: { session: Depends(getHttpSession) } }, async ({ session }) => {
  await session.get("/users");
  throw new Error("upstream returned garbage");
});

app.post("/orders", { params: { tx: Depends(getTransaction) } }, async ({ tx }) => {
  await tx.commit();
  return { saved: true };
});

app.post("/orders/draft", { params: { tx: Depends(getTransaction) } }, () => ({ saved: false }));

app.post("/orders/failing", { params: { tx: Depends(getTransaction) } }, () => {
  throw new Error("constraint violated");
});
