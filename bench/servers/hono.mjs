// Hono 4 on @hono/node-server, validation with zod through hono/validator (a small zod adapter below),
// E4's dependency chain as middleware passing values through c.set / c.get, response models as zod parses.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { validator } from "hono/validator";
import { z } from "zod";

// --- fake connection pool used by the E4 dependency chain -------------------------------------------
const pool = {
  free: [],
  created: 0,
  acquire() {
    return this.free.pop() ?? { id: ++this.created };
  },
  release(conn) {
    this.free.push(conn);
  },
};

/** hono/validator + zod: 422 with the issues on failure, the parsed value otherwise. */
const zv = (target, schema) =>
  validator(target, (value, c) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : c.json({ detail: r.error.issues }, 422);
  });

const ItemIdParam = z.object({ item_id: z.coerce.number().int() });
const QQuery = z.object({ q: z.string().optional() });
const Item = z.object({
  name: z.string().min(1),
  price: z.number().positive(),
  tags: z.array(z.string()).default([]),
});
const DepsOut = z.object({ item_id: z.number().int(), user: z.string(), conn: z.number().int(), q: z.string().optional() });

const app = new Hono();

// --- E1 ----------------------------------------------------------------------------------------------
app.get("/hello", (c) => c.json({ message: "hello" }));

// --- E2 ----------------------------------------------------------------------------------------------
app.get("/items/:item_id", zv("param", ItemIdParam), zv("query", QQuery), (c) => {
  const { item_id } = c.req.valid("param");
  const { q } = c.req.valid("query");
  return c.json({ item_id, q });
});

// --- E3 ----------------------------------------------------------------------------------------------
app.post("/items", zv("json", Item), (c) => c.json(Item.parse(c.req.valid("json"))));

// --- E4: ctx (A) -> user (B) -> conn (C, teardown after the handler) -----------------------------------
const withConn = async (c, next) => {
  const conn = pool.acquire();
  c.set("conn", conn);
  try {
    await next();
  } finally {
    pool.release(conn);
  }
};
const withUser = async (c, next) => {
  c.set("user", { name: "alice", conn: c.get("conn") });
  await next();
};
const withCtx = async (c, next) => {
  c.set("ctx", { user: c.get("user").name, conn: c.get("conn").id });
  await next();
};

app.get("/deps/:item_id", zv("param", ItemIdParam), zv("query", QQuery), withConn, withUser, withCtx, (c) => {
  const { item_id } = c.req.valid("param");
  const { q } = c.req.valid("query");
  return c.json(DepsOut.parse({ item_id, ...c.get("ctx"), q }));
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8000), hostname: "127.0.0.1" });

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
});
