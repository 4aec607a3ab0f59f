/**
 * FastAPI's `TestClient` for Typefast: requests go straight into the app's Node handler through {@link inject}
 * (no socket), with a cookie jar, redirects, query/JSON/form/multipart encoding and lifespan control.
 */
import { inject, type RawHandler } from "./inject.ts";
import { encodeMultipart, type FileSpec } from "./multipart-encode.ts";
import { connectWebSocket, type UpgradeTarget, type WebSocketConnectOptions, type WebSocketTestSession } from "./websocket-client.ts";

/** What the test client needs from an app: its Node handler plus optional lifespan hooks. */
export interface ClientApp {
  handle: RawHandler;
  startup?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/** A query parameter value: arrays repeat the key, `null`/`undefined` are skipped. */
export type QueryValue = string | number | boolean | null | undefined | Array<string | number | boolean>;
/** A form field value: arrays repeat the field. */
export type FormValue = string | number | boolean | Array<string | number | boolean>;

/** Per-request options, mirroring httpx's keyword arguments. Use only one of `json`, `content`, `data`/`files`. */
export interface RequestOptions {
  /** Query parameters, merged after any query already in the URL. */
  params?: Record<string, QueryValue>;
  /** Extra headers; they override client headers with the same (case-insensitive) name. */
  headers?: Record<string, string | string[]>;
  /** Cookies for this request only, on top of the jar (an explicit `cookie` header replaces both). */
  cookies?: Record<string, string>;
  /** A JSON body; sets `content-type: application/json` unless given. */
  json?: unknown;
  /** A urlencoded form, or the multipart fields when `files` is set. */
  data?: Record<string, FormValue>;
  /** Files for a `multipart/form-data` body. */
  files?: Record<string, FileSpec | FileSpec[]>;
  /** A raw body (set `content-type` yourself). */
  content?: string | Uint8Array;
  /** Follow redirects for this request (default: the client's setting). */
  followRedirects?: boolean;
  /** Milliseconds before a stalled handler fails the request (default: the client's, 30 000). */
  timeout?: number;
}

/** Options of {@link TestClient}. */
export interface TestClientOptions {
  /** Scheme, host and optional path prefix of every relative URL (default `http://testserver`). */
  baseUrl?: string;
  /** Follow redirects by default (default `true`). */
  followRedirects?: boolean;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Initial contents of the cookie jar. */
  cookies?: Record<string, string>;
  /** The client address the app sees (default `127.0.0.1`). */
  remoteAddress?: string;
  /** Milliseconds before a stalled handler fails a request (default 30 000). */
  timeout?: number;
}

/**
 * A response received by the {@link TestClient}.
 *
 * @example
 * const res = await client.get("/items/1");
 * expect(res.status).toBe(200);
 * expect(res.json()).toEqual({ id: 1 });
 * expect(res.header("content-type")).toBe("application/json");
 */
export class TestResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers (e.g. `set-cookie`) as arrays. */
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** The absolute URL that produced this response (the last hop after redirects). */
  readonly url: string;
  /** The redirect responses that led here, oldest first. */
  readonly history: TestResponse[];
  /** true when the app destroyed the response mid-body. */
  readonly aborted: boolean;

  constructor(init: { status: number; headers: Record<string, string | string[]>; body: Buffer; url: string; history?: TestResponse[]; aborted?: boolean }) {
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.url = init.url;
    this.history = init.history ?? [];
    this.aborted = init.aborted ?? false;
  }

  /** The body decoded as UTF-8. */
  get text(): string {
    return this.body.toString("utf8");
  }

  /** The body parsed as JSON (throws `SyntaxError` when it is not JSON). */
  json<T = any>(): T {
    return JSON.parse(this.text) as T;
  }

  /** One header by case-insensitive name; repeated values joined with `", "` like `fetch`'s `Headers#get`. */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  /** true for a 2xx status. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const BODY_HEADERS = ["content-type", "content-length", "transfer-encoding", "content-encoding", "content-language", "content-location"];

/** Percent-encode a query component (spaces as `%20`, like httpx). */
function encodeQuery(params: Record<string, QueryValue>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(one))}`);
  }
  return pairs.join("&");
}

function encodeBody(options: RequestOptions): { body?: string | Uint8Array; contentType?: string } {
  const kinds = [options.json !== undefined, options.content !== undefined, options.data !== undefined || options.files !== undefined];
  if (kinds.filter(Boolean).length > 1) throw new TypeError("TestClient: use only one of `json`, `content` or `data`/`files` in a request");
  if (options.json !== undefined) {
    const body = JSON.stringify(options.json);
    if (body === undefined) throw new TypeError("TestClient: `json` is not JSON-serializable");
    return { body, contentType: "application/json" };
  }
  if (options.content !== undefined) return { body: options.content };
  const fields: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(options.data ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) fields.push([key, String(one)]);
  }
  if (options.files !== undefined) {
    // Null prototype: a form field may be called `__proto__` or `constructor`.
    const grouped: Record<string, string[]> = Object.create(null);
    for (const [key, value] of fields) (grouped[key] ??= []).push(value);
    return encodeMultipart(grouped, options.files);
  }
  if (options.data !== undefined) return { body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" };
  return {};
}

/** Whether following `status` turns `method` into a body-less GET (fetch standard; httpx for 303). */
function switchesToGet(status: number, method: string): boolean {
  return (status === 303 && method !== "GET" && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST");
}

/**
 * FastAPI's `TestClient`: call a Typefast app in-process, the way a real HTTP client would.
 *
 * Errors thrown by the app propagate out of the request (`raise_server_exceptions=True`). Lifespan hooks are
 * **not** run automatically: call `await client.start()` first (FastAPI's `with TestClient(app) as client:`),
 * or use `await using`, which also runs shutdown at the end of the scope. Every request sends `host` (from the
 * URL), `accept` (any type) and `user-agent: testclient`; no `accept-encoding`, so bodies arrive uncompressed.
 *
 * @example
 * await using client = await new TestClient(app).start();
 * const res = await client.post("/items", { json: { name: "Foo" }, params: { notify: true } });
 * expect(res.status).toBe(201);
 * expect(client.cookies.get("session")).toBeDefined();
 */
export class TestClient {
  /** The cookie jar (name → value): updated from `Set-Cookie`, sent with later requests. Domain/path are ignored. */
  readonly cookies = new Map<string, string>();
  readonly #app: ClientApp;
  readonly #baseUrl: URL;
  readonly #followRedirects: boolean;
  readonly #headers: Record<string, string>;
  readonly #remoteAddress: string | undefined;
  readonly #timeout: number | undefined;
  #started: Promise<void> | undefined;

  constructor(app: ClientApp, options: TestClientOptions = {}) {
    this.#app = app;
    this.#baseUrl = new URL(options.baseUrl ?? "http://testserver");
    this.#followRedirects = options.followRedirects ?? true;
    this.#headers = { ...options.headers };
    this.#remoteAddress = options.remoteAddress;
    this.#timeout = options.timeout;
    for (const [name, value] of Object.entries(options.cookies ?? {})) this.cookies.set(name, value);
  }

  /** Run `app.startup()` once (later calls wait for the same run); resolves to the client for chaining. */
  async start(): Promise<this> {
    this.#started ??= (async () => this.#app.startup?.())().catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    await this.#started;
    return this;
  }

  /** Run `app.shutdown()` if `start()` succeeded; a later `start()` runs startup again. */
  async stop(): Promise<void> {
    const started = this.#started;
    if (started === undefined) return;
    this.#started = undefined;
    try {
      await started;
    } catch {
      return;
    }
    await this.#app.shutdown?.();
  }

  /** `await using client = …` calls {@link TestClient.stop} when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /**
   * Send one request; `url` is a path (joined to the base URL's path) or an absolute URL.
   *
   * @example
   * const res = await client.request("GET", "/search?q=a", { params: { tag: ["x", "y"] } }); // /search?q=a&tag=x&tag=y
   */
  async request(method: string, url: string, options: RequestOptions = {}): Promise<TestResponse> {
    let target = this.#resolve(url, options.params);
    let verb = method.toUpperCase();
    let { body, contentType } = encodeBody(options);
    const headers: Record<string, string | string[]> = {};
    for (const source of [this.#headers, options.headers ?? {}]) {
      for (const [name, value] of Object.entries(source)) headers[name.toLowerCase()] = value;
    }
    if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType;
    const follow = options.followRedirects ?? this.#followRedirects;
    const history: TestResponse[] = [];
    for (;;) {
      const raw = await inject(this.#app.handle, {
        method: verb,
        url: `${target.pathname}${target.search}`,
        headers: this.#headersFor(target, headers, options.cookies),
        body,
        remoteAddress: this.#remoteAddress,
        encrypted: target.protocol === "https:",
        timeout: options.timeout ?? this.#timeout,
      });
      this.#storeCookies(raw.headers["set-cookie"]);
      const response = new TestResponse({ ...raw, url: target.href, history: [...history] });
      const location = response.header("location");
      if (!follow || !REDIRECT_STATUSES.has(raw.status) || location === undefined) return response;
      const next = new URL(location, target);
      if (next.host !== target.host || (next.protocol !== "http:" && next.protocol !== "https:")) return response;
      if (history.length >= MAX_REDIRECTS) throw new Error(`TestClient: exceeded ${MAX_REDIRECTS} redirects (last: ${target.href} → ${next.href})`);
      history.push(response);
      if (switchesToGet(raw.status, verb)) {
        verb = "GET";
        body = undefined;
        for (const name of BODY_HEADERS) delete headers[name];
      }
      next.hash = "";
      target = next;
    }
  }

  /** `GET url`. @example const res = await client.get("/items", { params: { limit: 10 } }); */
  get(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("GET", url, options); }
  /** `POST url`. @example const res = await client.post("/items", { json: { name: "Foo" } }); */
  post(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("POST", url, options); }
  /** `PUT url`. @example const res = await client.put("/items/1", { json: { name: "Bar" } }); */
  put(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("PUT", url, options); }
  /** `PATCH url`. @example const res = await client.patch("/items/1", { json: { price: 3 } }); */
  patch(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("PATCH", url, options); }
  /** `DELETE url`. @example const res = await client.delete("/items/1"); */
  delete(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("DELETE", url, options); }
  /** `HEAD url` (the body is always empty). @example const res = await client.head("/items/1"); */
  head(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("HEAD", url, options); }
  /** `OPTIONS url`. @example const res = await client.options("/items", { headers: { origin: "https://a.example" } }); */
  options(url: string, options?: RequestOptions): Promise<TestResponse> { return this.request("OPTIONS", url, options); }

  /**
   * Opens a WebSocket to the app in-process (no port): the handshake carries the client's headers and cookies,
   * and resolves once the handler called `accept()`. A refusal by `close()` before `accept()` (validation or auth
   * failure: 1008) rejects with `WebSocketDisconnect`; a plain HTTP refusal with `WebSocketHandshakeError`.
   *
   * @example
   * await using ws = await client.websocketConnect("/ws", { subprotocols: ["chat"] });
   * await ws.sendText("hi");
   * expect(await ws.receiveText()).toBe("Echo: hi");
   */
  websocketConnect(
    url: string,
    options: WebSocketConnectOptions & { params?: Record<string, QueryValue>; cookies?: Record<string, string> } = {},
  ): Promise<WebSocketTestSession> {
    const app = this.#app as ClientApp & Partial<UpgradeTarget>;
    if (typeof app.handleUpgrade !== "function") {
      return Promise.reject(new TypeError("TestClient.websocketConnect: this app has no handleUpgrade(), so it cannot accept WebSockets."));
    }
    const target = this.#resolve(url, options.params);
    const headers: Record<string, string | string[]> = {};
    for (const source of [this.#headers, options.headers ?? {}]) {
      for (const [name, value] of Object.entries(source)) headers[name.toLowerCase()] = value;
    }
    const timeout = options.timeout ?? this.#timeout;
    return connectWebSocket(app as UpgradeTarget, target, this.#headersFor(target, headers, options.cookies), { ...options, timeout }, this.#remoteAddress);
  }

  /** Resolve `url` against the base URL (keeping the base path as a prefix, like httpx) and append `params`. */
  #resolve(url: string, params: Record<string, QueryValue> | undefined): URL {
    let target: URL;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) target = new URL(url);
    else {
      const prefix = this.#baseUrl.pathname.replace(/\/+$/, "");
      target = new URL(`${prefix}${url.startsWith("/") ? url : `/${url}`}`, this.#baseUrl.origin);
    }
    const query = params === undefined ? "" : encodeQuery(params);
    if (query !== "") target.search = target.search.length > 1 ? `${target.search}&${query}` : `?${query}`;
    target.hash = "";
    return target;
  }

  /** The headers of one hop: defaults, then client/request headers, then the jar's `cookie` unless one was given. */
  #headersFor(target: URL, headers: Record<string, string | string[]>, cookies: Record<string, string> | undefined): Record<string, string | string[]> {
    const result: Record<string, string | string[]> = { host: target.host, accept: "*/*", "user-agent": "testclient", ...headers };
    if (result.cookie === undefined) {
      const jar = new Map(this.cookies);
      for (const [name, value] of Object.entries(cookies ?? {})) jar.set(name, value);
      if (jar.size > 0) result.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    return result;
  }

  /** Apply `Set-Cookie` lines to the jar: `Max-Age<=0` (which wins) or a past `Expires` deletes the cookie. */
  #storeCookies(setCookie: string | string[] | undefined): void {
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      if (eq < 0 || name === "") continue;
      let maxAge: number | undefined;
      let expires: number | undefined;
      for (const attribute of attributes) {
        const [key = "", ...rest] = attribute.split("=");
        const value = rest.join("=").trim();
        if (key.trim().toLowerCase() === "max-age" && /^-?\d+$/.test(value)) maxAge = Number(value);
        else if (key.trim().toLowerCase() === "expires" && !Number.isNaN(Date.parse(value))) expires = Date.parse(value);
      }
      const expired = maxAge !== undefined ? maxAge <= 0 : expires !== undefined && expires <= Date.now();
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}
