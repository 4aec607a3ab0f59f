// Plain node:http with hand-written routing, validation and response shaping: the ceiling for Node.js.
// It does the same work as the framework servers (parse, validate, run the dependency chain, serialize),
// just without any framework around it.
import http from "node:http";

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

// E4 dependencies as plain functions: ctx (A) -> user (B) -> conn (C, with setup and teardown).
function getUser(conn) {
  return { name: "alice", conn };
}
function getCtx(user, conn) {
  return { user: user.name, conn: conn.id };
}

// --- helpers -----------------------------------------------------------------------------------------
function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const INT_RE = /^-?\d+$/;
function parseIntParam(s) {
  if (!INT_RE.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** First value of `name` in a raw query string; undefined if absent, null if undecodable. */
function queryParam(qs, name) {
  if (qs === "") return undefined;
  for (const part of qs.split("&")) {
    const eq = part.indexOf("=");
    const key = eq === -1 ? part : part.slice(0, eq);
    if (key !== name) continue;
    const raw = eq === -1 ? "" : part.slice(eq + 1);
    try {
      return decodeURIComponent(raw.replace(/\+/g, " "));
    } catch {
      return null;
    }
  }
  return undefined;
}

/** Validates the E3 body; returns the response-model projection or an error message. */
function validateItem(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { error: "body must be an object" };
  const { name, price } = v;
  let tags = v.tags;
  if (typeof name !== "string" || name.length < 1) return { error: "name: string of length >= 1 required" };
  if (typeof price !== "number" || !(price > 0)) return { error: "price: positive number required" };
  if (tags === undefined) tags = [];
  else if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string")) return { error: "tags: array of strings" };
  return { value: { name, price, tags } };
}

// --- handlers ----------------------------------------------------------------------------------------
function getItem(idText, qs, res) {
  const item_id = parseIntParam(idText);
  const q = queryParam(qs, "q");
  if (item_id === undefined || q === null) return send(res, 422, { detail: "invalid item_id or q" });
  send(res, 200, { item_id, q });
}

function getDeps(idText, qs, res) {
  const item_id = parseIntParam(idText);
  const q = queryParam(qs, "q");
  if (item_id === undefined || q === null) return send(res, 422, { detail: "invalid item_id or q" });
  const conn = pool.acquire(); // C: setup
  try {
    const ctx = getCtx(getUser(conn), conn);
    send(res, 200, { item_id, user: ctx.user, conn: ctx.conn, q }); // response model: exactly these fields, in this order
  } finally {
    pool.release(conn); // C: teardown
  }
}

const MAX_BODY = 1 << 20;
function postItem(req, res) {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/json")) {
    req.resume();
    return send(res, 415, { detail: "expected application/json" });
  }
  let text = "";
  let tooBig = false;
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    if (tooBig) return;
    text += chunk;
    if (text.length > MAX_BODY) tooBig = true;
  });
  req.on("end", () => {
    if (tooBig) return send(res, 413, { detail: "body too large" });
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return send(res, 400, { detail: "malformed JSON" });
    }
    const r = validateItem(data);
    if (r.error) return send(res, 422, { detail: r.error });
    send(res, 200, r.value);
  });
}

function onRequest(req, res) {
  const url = req.url ?? "/";
  const qi = url.indexOf("?");
  const path = qi === -1 ? url : url.slice(0, qi);
  const qs = qi === -1 ? "" : url.slice(qi + 1);
  if (req.method === "GET") {
    if (path === "/hello") return send(res, 200, { message: "hello" });
    if (path.startsWith("/items/") && path.indexOf("/", 7) === -1) return getItem(path.slice(7), qs, res);
    if (path.startsWith("/deps/") && path.indexOf("/", 6) === -1) return getDeps(path.slice(6), qs, res);
  } else if (req.method === "POST" && path === "/items") {
    return postItem(req, res);
  }
  req.resume();
  send(res, 404, { detail: "Not Found" });
}

const server = http.createServer(onRequest);
server.listen(Number(process.env.PORT ?? 8000), "127.0.0.1");

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
