import { nullObject } from "../null-object.ts";
import { HTTPException } from "../errors/http-exception.ts";
import { parseCookies } from "./cookies.ts";
import { parseJson, readBody } from "./body.ts";
import type { FormData } from "./form-data.ts";
import { DEFAULT_FORM_LIMITS, parseForm, type FormLimits } from "./form-parse.ts";
import { parseQueryString, type QueryValues } from "./query-string.ts";
import type { RawHeaders, RawRequest } from "./raw.ts";

/** Size limits applied while reading a request. */
export interface RequestLimits {
  /** Largest body in bytes (JSON, text, urlencoded); 413 beyond. Default 1 MiB. */
  readonly bodySize: number;
  /** Multipart and urlencoded form limits. */
  readonly form: FormLimits;
}

const EMPTY_PARAMS: Record<string, string> = Object.freeze(nullObject<string>());

/** Default request limits: 1 MiB bodies (as Fastify), 10 MiB files. */
export const DEFAULT_LIMITS: RequestLimits = { bodySize: 1024 * 1024, form: DEFAULT_FORM_LIMITS };

/**
 * An incoming HTTP request, parsed lazily: nothing beyond the path is touched unless a parameter or the handler
 * asks for it.
 */
export class Request {
  /** The Node request (or the test client's in-memory one). */
  readonly raw: RawRequest;
  /** Upper-case method. */
  readonly method: string;
  /** The percent-decoded path, without the query string (the full path, also inside mounted sub-apps). */
  readonly path: string;
  /** Path parameters as matched (strings, before coercion); set by the router. */
  pathParams: Record<string, string> = EMPTY_PARAMS;
  /** False when the path has invalid percent-encoding (the app answers 400). */
  readonly pathValid: boolean;
  readonly #rawQuery: string;
  readonly #limits: RequestLimits;
  #query: QueryValues | undefined;
  #cookies: Record<string, string> | undefined;
  #body: Promise<Buffer> | undefined;
  #form: Promise<FormData> | undefined;
  #state: Record<string, unknown> | undefined;
  /**
   * Work scheduled for after the response is sent (see `onResponseSent`). A field rather than a `WeakMap` entry:
   * inserting into a WeakMap keyed by the request costs about a microsecond per request.
   * @internal
   */
  afterResponse: Array<() => Promise<void> | void> | undefined = undefined;

  constructor(raw: RawRequest, limits: RequestLimits) {
    this.raw = raw;
    this.method = raw.method ?? "GET";
    const url = raw.url || "/";
    const q = url.indexOf("?");
    let path = q === -1 ? url : url.slice(0, q);
    this.#rawQuery = q === -1 ? "" : url.slice(q + 1);
    let valid = true;
    if (path.indexOf("%") !== -1) {
      try {
        path = decodeURIComponent(path);
      } catch {
        valid = false;
      }
    }
    this.path = path;
    this.pathValid = valid;
    this.#limits = limits;
  }

  /** The request target as received (path and query, still encoded). */
  get url(): string {
    return this.raw.url ?? "/";
  }

  /** The raw query string (without `?`). */
  get queryString(): string {
    return this.#rawQuery;
  }

  /** Headers with lower-case names; repeated headers joined by Node (`set-cookie` kept as a list). */
  get headers(): RawHeaders {
    return this.raw.headers;
  }

  /** One header's value (case-insensitive name). */
  header(name: string): string | undefined {
    const v = this.raw.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(", ") : v;
  }

  /** Query parameters; a repeated key holds an array. Invalid percent-encoding → 400. */
  get query(): QueryValues {
    return (this.#query ??= parseQueryString(this.#rawQuery));
  }

  /** Cookies sent by the client. */
  get cookies(): Record<string, string> {
    return (this.#cookies ??= parseCookies(this.header("cookie")));
  }

  /** The peer's address (the socket's; see the proxy settings for `X-Forwarded-For`). */
  get client(): { host: string; port: number } {
    const s = this.raw.socket;
    return { host: s?.remoteAddress ?? "", port: s?.remotePort ?? 0 };
  }

  /** Free per-request storage shared by middleware, dependencies and the handler. */
  get state(): Record<string, unknown> {
    return (this.#state ??= nullObject<unknown>());
  }

  /** The body bytes (read once, size-limited). */
  body(): Promise<Buffer> {
    return (this.#body ??= readBody(this.raw, this.#limits.bodySize));
  }

  /** The body decoded as UTF-8. */
  async text(): Promise<string> {
    return (await this.body()).toString("utf8");
  }

  /** The body parsed as JSON (`__proto__` keys removed, as for `Body()`); malformed JSON → 400. */
  async json(): Promise<unknown> {
    const parsed = parseJson(await this.text());
    if (!parsed.ok) throw new HTTPException(400, `Invalid JSON body: ${parsed.message}`);
    return parsed.value;
  }

  /** The body parsed as a form (urlencoded or multipart); its files are removed after the response. */
  form(): Promise<FormData> {
    return (this.#form ??= parseForm(this.raw, this.header("content-type"), this.#limits.form, () => this.body()));
  }

  /** True when {@link close} has something to release (a form was parsed: it may hold temporary files). */
  get holdsResources(): boolean {
    return this.#form !== undefined;
  }

  /** Releases what the request holds (temporary upload files). Called by the framework after the response. */
  async close(): Promise<void> {
    if (this.#form) {
      const form = await this.#form.catch(() => undefined);
      await form?.close();
    }
  }
}
