// Typefast: the same four endpoints written the FastAPI way (typed params, dependencies, response models).
// Plain JavaScript on the built package (dist/, written by `npm run build`): what a deployed app runs. The
// TypeScript version of this file is what users write; only the type annotations differ.
import { z } from "zod";
import { App, Body, Depends, Path, Query, serve } from "../../dist/index.js";

// --- fake connection pool used by the E4 dependency chain -------------------------------------------
const pool = {
  /** @type {{ id: number }[]} */
  free: [],
  created: 0,
  acquire() {
    return this.free.pop() ?? { id: ++this.created };
  },
  release(conn) {
    this.free.push(conn);
  },
};

const app = new App();

// --- E1 ----------------------------------------------------------------------------------------------
app.get("/hello", {}, () => ({ message: "hello" }));

// --- E2 ----------------------------------------------------------------------------------------------
app.get(
  "/items/{item_id}",
  { params: { item_id: Path(z.number().int()), q: Query(z.string().optional()) } },
  ({ item_id, q }) => ({ item_id, q }),
);

// --- E3 ----------------------------------------------------------------------------------------------
const Item = z.object({
  name: z.string().min(1),
  price: z.number().positive(),
  tags: z.array(z.string()).default([]),
});
app.post("/items", { params: { item: Body(Item) }, response: Item }, ({ item }) => item);

// --- E4: ctx (A) -> user (B) -> conn (C, a yield dependency with setup and teardown) --------------------
const getConn = Depends(function* () {
  const conn = pool.acquire();
  try {
    yield conn;
  } finally {
    pool.release(conn);
  }
});
const getUser = Depends({ conn: getConn }, ({ conn }) => ({ name: "alice", conn }));
const getCtx = Depends({ user: getUser, conn: getConn }, ({ user, conn }) => ({ user: user.name, conn: conn.id }));

// Output order = model order: item_id, user, conn, q (the same bytes on every server).
const DepsOut = z.object({
  item_id: z.number().int(),
  user: z.string(),
  conn: z.number().int(),
  q: z.string().optional(),
});
app.get(
  "/deps/{item_id}",
  {
    params: { item_id: Path(z.number().int()), q: Query(z.string().optional()), ctx: getCtx },
    response: DepsOut,
  },
  ({ item_id, q, ctx }) => ({ item_id, ...ctx, q }),
);

serve(app, { host: "127.0.0.1", port: Number(process.env.PORT ?? 8000) });

process.on("SIGTERM", () => process.exit(0));
