// Fastify 5, idiomatic: JSON schemas for params, query, body and response (ajv validates,
// fast-json-stringify serializes), E4's dependency chain as route-level hooks + request decorations.
import Fastify from "fastify";

const app = Fastify({ logger: false });

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

// --- schemas -----------------------------------------------------------------------------------------
const itemIdParams = {
  type: "object",
  properties: { item_id: { type: "integer" } },
  required: ["item_id"],
};
const qQuery = { type: "object", properties: { q: { type: "string" } } };
const itemSchema = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1 },
    price: { type: "number", exclusiveMinimum: 0 },
    tags: { type: "array", items: { type: "string" }, default: [] },
  },
  required: ["name", "price"],
};

// --- E1 ----------------------------------------------------------------------------------------------
app.get(
  "/hello",
  {
    schema: {
      response: { 200: { type: "object", properties: { message: { type: "string" } }, required: ["message"] } },
    },
  },
  async () => ({ message: "hello" }),
);

// --- E2 ----------------------------------------------------------------------------------------------
app.get(
  "/items/:item_id",
  {
    schema: {
      params: itemIdParams,
      querystring: qQuery,
      response: {
        200: { type: "object", properties: { item_id: { type: "integer" }, q: { type: "string" } }, required: ["item_id"] },
      },
    },
  },
  async (request) => ({ item_id: request.params.item_id, q: request.query.q }),
);

// --- E3 ----------------------------------------------------------------------------------------------
app.post("/items", { schema: { body: itemSchema, response: { 200: itemSchema } } }, async (request) => request.body);

// --- E4: ctx (A) -> user (B) -> conn (C, setup in preHandler, teardown in onResponse) -----------------
app.decorateRequest("conn", null);
app.decorateRequest("user", null);
app.decorateRequest("ctx", null);

function acquireConn(request, reply, done) {
  request.conn = pool.acquire();
  done();
}
function loadUser(request, reply, done) {
  request.user = { name: "alice", conn: request.conn };
  done();
}
function loadCtx(request, reply, done) {
  request.ctx = { user: request.user.name, conn: request.conn.id };
  done();
}
function releaseConn(request, reply, done) {
  if (request.conn !== null) {
    pool.release(request.conn);
    request.conn = null;
  }
  done();
}

app.get(
  "/deps/:item_id",
  {
    schema: {
      params: itemIdParams,
      querystring: qQuery,
      response: {
        200: {
          type: "object",
          properties: {
            item_id: { type: "integer" },
            user: { type: "string" },
            conn: { type: "integer" },
            q: { type: "string" },
          },
          required: ["item_id", "user", "conn"],
        },
      },
    },
    preHandler: [acquireConn, loadUser, loadCtx],
    onResponse: releaseConn,
  },
  async (request) => ({ item_id: request.params.item_id, ...request.ctx, q: request.query.q }),
);

await app.listen({ port: Number(process.env.PORT ?? 8000), host: "127.0.0.1" });

process.on("SIGTERM", () => {
  app.close().then(() => process.exit(0));
});
