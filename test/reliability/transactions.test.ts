/**
 * No half-written records: a transaction-per-request dependency (scope "function": commit before the response) on
 * real PostgreSQL and SQLite, under concurrent load. Each request writes, then — as fast-check decides — answers,
 * throws, raises an HTTPException, writes twice and throws, sends an invalid body (refused before the transaction
 * opens), or writes a row whose commit fails. Afterwards the table holds exactly the rows of the
 * requests answered 201, and no connection or transaction is left open. `TYPEFAST_FAULT_SEED` and
 * `TYPEFAST_FAULT_RUNS` choose other batches.
 */
import fc from "fast-check";
import { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { App, Body, Depends, HTTPException, serve, type Server } from "../../src/index.ts";
import { collectingLogger } from "../core/helpers.ts";
import { MISSING_PARENT, PARENT, postgresStore, sqliteStore, type TxStore } from "./fixtures/stores.ts";
import { LoadClient, sleep, trapProcessErrors, until } from "./load-kit.ts";

const SEED = Number(process.env.TYPEFAST_FAULT_SEED ?? 20_240_611);
const RUNS = Number(process.env.TYPEFAST_FAULT_RUNS ?? 6);
const MODES = ["commit", "commit", "throw", "http", "twice-then-throw", "invalid-body", "commit-fails"] as const;
type Mode = (typeof MODES)[number];
const EXPECTED: Record<Mode, number> = { commit: 201, throw: 500, http: 409, "twice-then-throw": 500, "invalid-body": 422, "commit-fails": 500 };
/** The second row of "twice-then-throw" lives this far above the first. */
const SECOND = 1_000_000;

function transactionApp(store: TxStore): App {
  const app = new App({ logger: collectingLogger() });
  const transaction = Depends(
    async function* transaction() {
      const tx = await store.begin();
      try {
        yield tx;
      } catch (error) {
        await store.rollback(tx);
        throw error;
      }
      await store.commit(tx);
    },
    { scope: "function" },
  );
  const Row = z.object({ id: z.int(), mode: z.enum(MODES), delay: z.int() });
  app.post("/rows", { params: { tx: transaction, row: Body(Row) }, status: 201 }, async ({ tx, row }) => {
    await sleep(row.delay);
    await tx.insert(row.id, row.mode === "commit-fails" ? MISSING_PARENT : PARENT);
    if (row.mode === "twice-then-throw") await tx.insert(row.id + SECOND, PARENT);
    await sleep(row.delay);
    if (row.mode === "throw" || row.mode === "twice-then-throw") throw new Error(`injected after writing ${row.id}`);
    if (row.mode === "http") throw new HTTPException(409, "conflict after the write");
    return { id: row.id };
  });
  return app;
}

const stores: Array<[string, () => Promise<TxStore>]> = [
  ["PostgreSQL", () => postgresStore(10)],
  ["SQLite", async () => sqliteStore()],
];

describe.each(stores)("transaction per request on %s", (_, open) => {
  let store: TxStore | undefined;
  let server: Server | undefined;
  let client: LoadClient | undefined;
  afterAll(async () => {
    client?.close();
    await server?.close();
    await store?.close();
  });

  it("keeps exactly the rows of the requests answered 201", { timeout: 120_000 }, async () => {
    const trap = trapProcessErrors();
    store = await open();
    server = await serve(transactionApp(store), { port: 0, announce: false, handleSignals: false });
    client = new LoadClient(server.url, 50);
    let nextId = 1;
    let committed = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ mode: fc.constantFrom(...MODES), delay: fc.constantFrom(0, 1, 3) }), { minLength: 1, maxLength: 300, size: "max" }), async (draws) => {
        const requests = draws.map((d) => ({ ...d, id: nextId++ }));
        sent += requests.length;
        const outcomes = await client!.run(
          requests.map((r) => ({
            method: "POST",
            path: "/rows",
            body: JSON.stringify(r.mode === "invalid-body" ? { id: r.id, mode: r.mode, delay: "soon" } : r),
          })),
          50,
        );
        const wrong = requests.flatMap((r, i) => (outcomes[i]!.status === EXPECTED[r.mode] && outcomes[i]!.complete ? [] : [`${r.mode} #${r.id}: ${outcomes[i]!.status} ${outcomes[i]!.body}`]));
        expect(wrong).toEqual([]);
        committed += requests.filter((r) => r.mode === "commit").length;
        const ids = await store!.ids();
        const answered201 = requests.filter((_, i) => outcomes[i]!.status === 201).map((r) => r.id);
        expect(ids.filter((id) => id >= requests[0]!.id)).toEqual(answered201);
        expect(ids.length).toBe(committed);
        await until(() => store!.idle(), "every connection to be back in the pool");
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(trap.errors).toEqual([]);
    trap.dispose();
    console.info(`${store.name}: ${sent} requests, ${committed} rows committed, ${sent - committed} requests rolled back or refused, none left behind`);
  });
});
