/**
 * The application the HTTP fuzzer attacks: one route or mount per feature the request path can reach — path, query,
 * header and cookie parameters with coercion, nested JSON models, forms, uploads, generator dependencies, security
 * schemes, a response model hiding a field, static files, redirects, a mounted sub-app, middleware and a WebSocket
 * route. It also keeps the books the fuzzer checks afterwards: prototype keys, unexpected logged errors and
 * generator setups versus teardowns, all answered by `GET /__probe`.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  AccessTokens,
  APIKeyHeader,
  App,
  Body,
  compareSecrets,
  Cookie,
  CORSMiddleware,
  Depends,
  File,
  Files,
  Form,
  GZipMiddleware,
  Header,
  HTTPBasic,
  HTTPBearer,
  HTTPException,
  model,
  Path,
  PlainTextResponse,
  Query,
  RedirectResponse,
  RequestIdMiddleware,
  SecurityHeadersMiddleware,
  StaticFiles,
  TrustedHostMiddleware,
  type Logger,
} from "../../src/index.ts";

/** Text that must never reach a client: a response-model-filtered field, and a file outside the static root. */
export const SECRET_FIELD = "field-the-response-model-drops";
export const OUTSIDE_FILE = "file-outside-the-static-directory";

/** The API key and Basic password of the fuzz app (public test values). */
export const API_KEY = "fuzz-api-key-0123456789abcdef";
export const BASIC_PASSWORD = "fuzz-basic-password";
export const JWT_SECRET = "fuzz-jwt-secret-that-is-32-bytes-long!!";

/**
 * Logged errors the fuzz app is documented to produce: a handler that builds a redirect or a header from a client
 * value with control characters (or, for headers, characters outside Latin-1) fails while building the response,
 * which the framework answers with a logged 500. Anything else logged is a finding.
 */
export const DOCUMENTED_ERRORS: readonly RegExp[] = [
  /Redirect URL contains control characters/,
  /Invalid character in header content/,
];

/** The routes whose documented failure above is answered with 500. */
export const DOCUMENTED_500_PATHS: readonly string[] = ["/redirect", "/echo-header"];

export interface FuzzBooks {
  /** Logged errors that are not in {@link DOCUMENTED_ERRORS}. */
  readonly unexpected: string[];
  /** Documented errors logged, by message. */
  readonly documented: Map<string, number>;
  generatorsEntered: number;
  generatorsClosed: number;
}

const PROTOTYPES: ReadonlyArray<readonly [string, object]> = [
  ["Object", Object.prototype],
  ["Array", Array.prototype],
  ["Function", Function.prototype],
  ["String", String.prototype],
];

/** Own keys of the built-in prototypes, to compare against later. */
function prototypeKeys(): Map<string, Set<string | symbol>> {
  return new Map(PROTOTYPES.map(([name, proto]) => [name, new Set(Reflect.ownKeys(proto))]));
}

/** Keys added to a built-in prototype since `before`, plus the classic `({}).polluted` probe. */
export function pollution(before: Map<string, Set<string | symbol>>): string[] {
  const found: string[] = [];
  for (const [name, proto] of PROTOTYPES) {
    for (const key of Reflect.ownKeys(proto)) if (!before.get(name)!.has(key)) found.push(`${name}.prototype.${String(key)}`);
  }
  if ((({}) as Record<string, unknown>).polluted !== undefined) found.push("({}).polluted");
  return found;
}

/** A naive recursive merge, the classic prototype-pollution sink: the framework's parsing must defuse it. */
function naiveMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const key in source) {
    const value = source[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
      naiveMerge(target[key], value);
    } else target[key] = value;
  }
  return target;
}

/** Creates the static directory: files, a nested index page, a 404 page, a sibling secret and a link to it. */
function staticDirectory(): string {
  const base = mkdtempSync(path.join(tmpdir(), "typefast-fuzz-"));
  const root = path.join(base, "public");
  mkdirSync(path.join(root, "docs"), { recursive: true });
  writeFileSync(path.join(root, "hello.txt"), "hello, static world\n");
  writeFileSync(path.join(root, "data.json"), '{"static":true}');
  writeFileSync(path.join(root, "docs", "index.html"), "<h1>docs</h1>");
  writeFileSync(path.join(root, "404.html"), "<h1>not here</h1>");
  writeFileSync(path.join(base, "secret.txt"), OUTSIDE_FILE);
  try {
    symlinkSync(path.join(base, "secret.txt"), path.join(root, "link.txt"));
  } catch {
    // No symlinks on this file system: the traversal checks still run on the other paths.
  }
  return root;
}

/** Builds the fuzz target and the books it keeps. */
export function buildFuzzApp(): { app: App; books: FuzzBooks } {
  const books: FuzzBooks = { unexpected: [], documented: new Map(), generatorsEntered: 0, generatorsClosed: 0 };
  const logger: Logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (message, error) => {
      const text = `${message}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
      const known = DOCUMENTED_ERRORS.find((re) => re.test(text));
      if (known) books.documented.set(known.source, (books.documented.get(known.source) ?? 0) + 1);
      else if (books.unexpected.length < 50) books.unexpected.push(error instanceof Error && error.stack ? `${message}: ${error.stack}` : text);
    },
  };
  const before = prototypeKeys();
  const app = new App({
    title: "Fuzz target",
    logger,
    limits: { bodySize: 64 * 1024, form: { maxFileSize: 32 * 1024, maxFields: 50, maxFiles: 5, maxParts: 60, spoolThreshold: 4096 } },
  });

  const Owner = z.object({ name: z.string().min(1).max(50), email: z.email().optional() });
  const ItemIn = z.object({
    name: z.string().min(1).max(100),
    price: z.number().positive().max(1e9),
    tags: z.array(z.string().max(30)).max(10).default([]),
    owner: Owner.optional(),
    dims: z.object({ w: z.int(), h: z.int() }).optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  });
  const ItemOut = model(
    { item_id: z.int(), name: z.string(), price: z.number(), tags: z.array(z.string()), q: z.string().nullable().default(null) },
    { id: "ItemOut" },
  );

  // A yield dependency with a sub-dependency; the books count every setup and teardown.
  async function* session() {
    books.generatorsEntered++;
    try {
      yield { id: "session-1" };
    } finally {
      books.generatorsClosed++;
    }
  }
  const currentUser = Depends(
    { x_user: Header(z.string().max(40).optional()), db: Depends(session) },
    ({ x_user, db }) => {
      if (x_user === "banned") throw new HTTPException(403, "Banned");
      return { name: x_user ?? "anonymous", session: db.id };
    },
  );
  function* transaction() {
    books.generatorsEntered++;
    try {
      yield "tx";
    } finally {
      books.generatorsClosed++;
    }
  }

  app.get("/ping", {}, () => ({ pong: true }));
  app.get("/__probe", {}, () => ({
    ok: true,
    polluted: pollution(before),
    unexpected: books.unexpected,
    documented: Object.fromEntries(books.documented),
    generators: { entered: books.generatorsEntered, closed: books.generatorsClosed },
    rss: process.memoryUsage().rss,
  }));

  app.get(
    "/items/{item_id}",
    {
      params: {
        item_id: Path(z.int().min(1)),
        q: Query(z.string().max(50).optional()),
        limit: Query(z.int().min(0).max(100).default(10)),
        tags: Query(z.array(z.string()).default([])),
        flag: Query(z.boolean().default(false)),
        price: Query(z.number().optional()),
        x_token: Header(z.string().optional()),
        session_id: Cookie(z.string().optional()),
      },
      response: ItemOut,
    },
    ({ item_id, q, tags }) => ({ item_id, name: "widget", price: 1.5, tags, q: q ?? null, secret: SECRET_FIELD }),
  );
  app.get("/items", { params: { filter: Query(z.looseObject({ limit: z.int().default(5) })) } }, ({ filter }) => ({ keys: Object.keys(filter).sort() }));
  app.post("/items", { params: { item: Body(ItemIn), user: currentUser }, status: 201 }, ({ item, user }) => ({ ...item, by: user.name }));
  app.put(
    "/items/{item_id}",
    { params: { item_id: Path(z.int()), item: Body(ItemIn), owner: Body(Owner), importance: Body(z.int().min(1).max(5)) } },
    ({ item_id, item, owner, importance }) => ({ item_id, name: item.name, owner: owner.name, importance }),
  );
  app.post("/merge", { params: { patch: Body(z.looseObject({})) } }, ({ patch }) => ({ keys: Object.keys(naiveMerge({}, patch)).length }));
  app.post("/anything", { params: { value: Body(z.unknown()) } }, ({ value }) => ({ type: Array.isArray(value) ? "array" : typeof value }));
  app.post(
    "/form",
    { params: { username: Form(z.string().min(1).max(50)), age: Form(z.int().min(0).max(150)), remember: Form(z.boolean().default(false)) } },
    ({ username, age, remember }) => naiveMerge({}, { username, age, remember }),
  );
  app.post("/form-model", { params: { fields: Form(z.looseObject({ a: z.string().optional() })) } }, ({ fields }) => ({ keys: Object.keys(naiveMerge({}, fields)).length }));
  app.post("/upload", { params: { file: File({ maxSize: 16 * 1024 }), note: Form(z.string().max(200).optional()) } }, async ({ file, note }) => ({
    filename: file.filename,
    size: file.size,
    head: (await file.text()).slice(0, 16),
    note: note ?? null,
  }));
  app.post("/files", { params: { files: Files(), tag: Form(z.string().optional()) } }, ({ files, tag }) => ({ count: files.length, tag: tag ?? null }));
  app.get(
    "/users/me",
    { params: { user: currentUser, tx: Depends(transaction, { scope: "function" }), verbose: Query(z.boolean().default(false)) } },
    ({ user, tx, verbose }, { background, response }) => {
      background.add(() => undefined);
      response.setHeader("x-tx", tx);
      return verbose ? { ...user, tx } : user;
    },
  );

  const apiKey = new APIKeyHeader({ name: "X-API-Key" });
  app.get("/secure/key", { params: { key: apiKey } }, ({ key }) => {
    if (!compareSecrets(key, API_KEY)) throw new HTTPException(401, "Invalid API key", { "WWW-Authenticate": "APIKey" });
    return { ok: true };
  });
  const basic = new HTTPBasic({ realm: "fuzz" });
  app.get("/secure/basic", { params: { creds: basic } }, ({ creds }) => {
    if (!compareSecrets(creds.username, "admin") || !compareSecrets(creds.password, BASIC_PASSWORD)) {
      throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": basic.challenge });
    }
    return { user: creds.username };
  });
  const tokens = new AccessTokens({ algorithm: "HS256", secret: JWT_SECRET, issuer: "fuzz", audience: "fuzz-api" });
  const bearer = new HTTPBearer();
  app.get("/secure/jwt", { params: { auth: bearer } }, async ({ auth }) => ({ sub: (await tokens.authenticate(auth.credentials)).sub }));

  // Documented 500s: values with control characters cannot become a Location or a header value.
  app.get("/redirect", { params: { next: Query(z.string().default("/ping")) } }, ({ next }) => {
    if (!next.startsWith("/") || next.startsWith("//")) throw new HTTPException(400, "Only local redirects");
    return new RedirectResponse(next, 303);
  });
  app.get("/echo-header", { params: { value: Query(z.string().max(200).default("")) } }, ({ value }, { response }) => {
    response.setHeader("x-echo", value);
    return { length: value.length };
  });
  app.get("/text/{rest:path}", { params: { rest: Path() } }, ({ rest }) => new PlainTextResponse(rest));

  app.websocket("/ws/{room}", { params: { room: Path(z.string().max(20)) } }, async ({ room }, ws) => {
    await ws.accept();
    await ws.sendText(`joined ${room}`);
    await ws.close();
  });

  const v1 = new App({ logger, openapiUrl: null });
  v1.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["localhost", "127.0.0.1", "*.example.com"] });
  v1.get("/status", { params: { verbose: Query(z.boolean().default(false)) } }, ({ verbose }) => ({ v1: true, verbose }));
  v1.post("/echo", { params: { data: Body(z.object({ text: z.string().max(1000) })) } }, ({ data }) => data);
  app.mount("/v1", v1);
  app.mount("/static", new StaticFiles({ directory: staticDirectory(), html: true }));

  app.addMiddleware(GZipMiddleware, { minimumSize: 200 });
  app.addMiddleware(SecurityHeadersMiddleware);
  app.addMiddleware(RequestIdMiddleware);
  app.addMiddleware(CORSMiddleware, { allowOrigins: ["https://app.example.com"], allowCredentials: true, allowMethods: ["GET", "POST"] });
  return { app, books };
}
