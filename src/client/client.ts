/**
 * The typed client: `createClient<typeof routes>(baseUrl)` sends requests with `fetch` (or through a `TestClient`,
 * in-process) and types every call from the routes the server registered — no code generation. This file is the
 * runtime half and imports no server code, so it can run in a browser.
 */
import type { RouteInfo } from "../routing/registrar.ts";
import type { ArgsOf, ClientMethod, MethodTable, ResponseOf, RoutesOf } from "./types.ts";

/**
 * A `fetch`-compatible function (`globalThis.fetch`, or a wrapper adding auth, retries, logging…).
 * @example const withCookies: ClientFetch = (url, init) => fetch(url, { ...init, credentials: "include" });
 */
export type ClientFetch = (input: string, init: RequestInit) => Promise<globalThis.Response>;

/**
 * Options of {@link createClient}.
 * @example createClient<typeof api>(url, { headers: { authorization: `Bearer ${token}` } })
 */
export interface ClientOptions {
  /** The function that sends requests (default: the global `fetch`, looked up at each call). */
  fetch?: ClientFetch;
  /** Headers sent with every request (a request's own `headers` override them). */
  headers?: Record<string, string>;
}

/**
 * What `createClient` needs from an in-process client: Typefast's `TestClient` fits, so
 * `createClient<typeof routes>(await new TestClient(app).start())` runs typed requests without a socket.
 *
 * @example
 * await using tc = await new TestClient(app).start();
 * const api = createClient<typeof routes>(tc);
 */
export interface InProcessClient {
  request(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; content?: Uint8Array; followRedirects?: boolean },
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Uint8Array }>;
}

/**
 * A verb method over `Table` (the routes answering that verb, by path template).
 * @example type Get = Call<RouteTable<typeof api, "GET">>;
 */
export type Call<Table> = <P extends keyof Table>(path: P, ...args: ArgsOf<Table[P]>) => Promise<ResponseOf<Table[P]>>;

/**
 * A client over the routes `R` (a union of route infos; see {@link Client}).
 * @example const api: TypedClient<RoutesOf<typeof routes>> = createClient<typeof routes>(url);
 */
export interface TypedClient<R extends RouteInfo> {
  /** `GET path`. @example const item = await client.get("/items/{item_id}", { path: { item_id: 1 } }); */
  readonly get: Call<MethodTable<R, "GET">>;
  /** `POST path`. @example const made = await client.post("/items", { body: { name: "Foo", price: 1 } }); */
  readonly post: Call<MethodTable<R, "POST">>;
  /** `PUT path`. @example await client.put("/items/{item_id}", { path: { item_id: 1 }, body: item }); */
  readonly put: Call<MethodTable<R, "PUT">>;
  /** `PATCH path`. @example await client.patch("/items/{item_id}", { path: { item_id: 1 }, body: { price: 2 } }); */
  readonly patch: Call<MethodTable<R, "PATCH">>;
  /** `DELETE path`. @example await client.delete("/items/{item_id}", { path: { item_id: 1 } }); */
  readonly delete: Call<MethodTable<R, "DELETE">>;
  /** `HEAD path` (GET routes answer it too); resolves to `undefined`. @example await client.head("/items"); */
  readonly head: Call<MethodTable<R, "HEAD">>;
  /** `OPTIONS path`. @example await client.options("/items"); */
  readonly options: Call<MethodTable<R, "OPTIONS">>;
  /**
   * Any method, given as a value.
   * @example const items = await client.request("GET", "/items", { query: { limit: 10 } });
   */
  request<M extends ClientMethod, P extends keyof MethodTable<R, M>>(
    method: M,
    path: P,
    ...args: ArgsOf<MethodTable<R, M>[P]>
  ): Promise<ResponseOf<MethodTable<R, M>[P]>>;
}

/**
 * A client typed by the routes `T` (a route, a tuple of routes, or an object or module namespace of them — see
 * `docs/client.md`): every path, parameter, body and response is checked against what the server declared.
 *
 * @example
 * import type * as routes from "./routes.ts";
 * export const api: Client<typeof routes> = createClient<typeof routes>("http://127.0.0.1:8000");
 */
export type Client<T> = TypedClient<Extract<RoutesOf<T>, RouteInfo>>;

/**
 * A response whose status is not 2xx. `body` is the parsed body (JSON when it is JSON); `detail` is its
 * `detail` field when there is one — a string for `HTTPException`, the list of problems for a 422.
 *
 * @example
 * try { await client.get("/items/{item_id}", { path: { item_id: 9 } }); }
 * catch (e) { if (e instanceof ClientError && e.status === 404) show(e.detail); }
 */
export class ClientError extends Error {
  override readonly name = "ClientError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    super(`${method} ${url} answered ${status}${summary(body)}`);
  }

  /** The body's `detail` field (FastAPI's error shape), else the whole body. */
  get detail(): unknown {
    return typeof this.body === "object" && this.body !== null && "detail" in this.body ? (this.body as { detail: unknown }).detail : this.body;
  }
}

/** Untyped request options, as the runtime sees them. */
interface RawOptions {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
  body?: unknown;
  form?: Record<string, unknown>;
  signal?: AbortSignal;
}

type Send = (url: string, init: RequestInit) => Promise<globalThis.Response>;

/**
 * Creates a typed client for the routes `T`. Pass a base URL to send requests with `fetch`, or a `TestClient` to
 * call the app in-process. A non-2xx response rejects with {@link ClientError}; a 2xx one resolves to its data
 * (parsed JSON, text for `text/*`, a `Blob` otherwise, `undefined` when empty).
 *
 * @example
 * import type * as api from "../server/routes.ts";
 * const client = createClient<typeof api>("http://127.0.0.1:8000");
 * const item = await client.get("/items/{item_id}", { path: { item_id: 1 }, query: { q: "x" } });
 */
export function createClient<T>(target: string | URL | InProcessClient, options: ClientOptions = {}): Client<T> {
  const defaults = options.headers ?? {};
  let base: string;
  let send: Send;
  if (typeof target === "string" || target instanceof URL) {
    base = String(target).replace(/\/+$/, "");
    const fetchFn = options.fetch;
    send = fetchFn ?? ((url, init) => globalThis.fetch(url, init));
  } else {
    base = "";
    send = inProcess(target);
  }
  const request = async (method: string, template: string, raw: RawOptions = {}): Promise<unknown> => {
    const verb = method.toUpperCase();
    const url = base + fillPath(verb, template, raw.path) + queryString(raw.query);
    const headers = new Headers(defaults);
    for (const [name, value] of Object.entries(raw.headers ?? {})) {
      if (value === undefined || value === null) continue;
      headers.delete(name);
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, text(one));
    }
    const cookies = Object.entries(raw.cookies ?? {}).filter(([, v]) => v !== undefined && v !== null);
    if (cookies.length > 0) headers.set("cookie", cookies.map(([k, v]) => `${k}=${encodeURIComponent(text(v))}`).join("; "));
    const init: RequestInit = { method: verb, headers, signal: raw.signal };
    if (raw.body !== undefined) {
      init.body = JSON.stringify(raw.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    } else if (raw.form !== undefined) init.body = formBody(raw.form);
    const response = await send(url, init);
    const data = await readBody(response, verb);
    if (!response.ok) throw new ClientError(verb, url, response.status, data, response.headers);
    return data;
  };
  const verb = (method: ClientMethod) => (path: string, raw?: RawOptions) => request(method, path, raw);
  const client = {
    get: verb("GET"),
    post: verb("POST"),
    put: verb("PUT"),
    patch: verb("PATCH"),
    delete: verb("DELETE"),
    head: verb("HEAD"),
    options: verb("OPTIONS"),
    request,
  };
  return client as unknown as Client<T>;
}

/** Substitutes `{name}` (one encoded segment) and `{name:path}` (slashes kept) in a path template. */
function fillPath(method: string, template: string, values: Record<string, unknown> = {}): string {
  return template.replace(/\{([^}:]+)(:path)?\}/g, (_, name: string, isPath: string | undefined) => {
    const value = values[name];
    if (value === undefined || value === null) throw new TypeError(`${method} ${template}: the path parameter "${name}" is missing`);
    const raw = text(value);
    return isPath ? raw.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(raw);
  });
}

/** `?a=1&tag=x&tag=y`: arrays repeat the key; `undefined` and `null` are left out. */
function queryString(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined && one !== null) params.append(name, text(one));
  }
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}

/** Multipart when a file is present, else URL-encoded: the two form encodings the server reads. */
function formBody(form: Record<string, unknown>): FormData | URLSearchParams {
  const entries = Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map((x) => [k, x] as const));
  if (!entries.some(([, v]) => v instanceof Blob)) return new URLSearchParams(entries.map(([k, v]) => [k, text(v)]));
  const data = new FormData();
  for (const [k, v] of entries) {
    if (v instanceof Blob) data.append(k, v, (v as Blob & { name?: string }).name ?? k);
    else data.append(k, text(v));
  }
  return data;
}

function text(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

async function readBody(response: globalThis.Response, method: string): Promise<unknown> {
  if (method === "HEAD" || response.status === 204 || response.status === 205 || response.status === 304) return undefined;
  const type = response.headers.get("content-type") ?? "";
  if (/[/+]json\b/.test(type)) {
    const body = await response.text();
    return body === "" ? undefined : JSON.parse(body);
  }
  if (type.startsWith("text/")) return response.text();
  const blob = await response.blob();
  return blob.size === 0 ? undefined : blob;
}

/** Sends through an in-process client: the body is encoded by a web `Request` so forms and files match `fetch`. */
function inProcess(client: InProcessClient): Send {
  return async (url, init) => {
    const request = new Request(new URL(url, "http://in-process"), init);
    const content = init.body === undefined ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const res = await client.request(init.method ?? "GET", url, { headers, content, followRedirects: true });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) for (const one of Array.isArray(value) ? value : [value]) out.append(name, one);
    const empty = res.status === 204 || res.status === 205 || res.status === 304 || res.body.length === 0;
    return new globalThis.Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers: out });
  };
}

function summary(body: unknown): string {
  const detail = typeof body === "object" && body !== null && "detail" in body ? (body as { detail: unknown }).detail : body;
  if (detail === undefined) return "";
  if (typeof detail === "string") return `: ${detail}`;
  const json = JSON.stringify(detail);
  return `: ${json.length > 300 ? `${json.slice(0, 300)}…` : json}`;
}
