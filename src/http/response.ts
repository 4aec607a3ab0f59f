/**
 * Response classes, as in Starlette / `fastapi.responses`: a status, headers and a body that knows how to write
 * itself to a {@link RawResponse}. The buffered ones here write with exactly one `writeHead` and one `end` — no
 * `setHeader` calls, which each cost a validation pass and an internal map update in Node.
 */
import { nullObject } from "../null-object.ts";
import type { RawHeaders, RawResponse } from "./raw.ts";
import { statusHasNoBody } from "./status.ts";
import { serializeCookie, type CookieOptions } from "./cookies.ts";

export type { CookieOptions } from "./cookies.ts";

/**
 * Options shared by every response class.
 *
 * @example
 * const init: ResponseInit = { status: 201, headers: { Location: "/items/1" }, mediaType: "application/json" };
 */
export interface ResponseInit {
  status?: number;
  /** Names are lower-cased; an array value sends the header several times (e.g. `set-cookie`). */
  headers?: Record<string, string | string[]>;
  /** Becomes `content-type` unless `headers` has one; `text/*` types get `; charset=utf-8` added. */
  mediaType?: string;
}

/**
 * What `send` needs to know about the request it answers.
 *
 * @example
 * await response.send(res, { method: req.method ?? "GET", requestHeaders: req.headers });
 */
export interface SendContext {
  /** The request method, upper-case as Node delivers it; `HEAD` gets headers only. */
  method: string;
  requestHeaders: RawHeaders;
  /**
   * Aborted when the server stops accepting connections for a graceful shutdown: a response that would never end
   * by itself (an event stream) ends cleanly then, instead of being cut when the graceful timeout runs out.
   */
  closing?: AbortSignal;
}

/**
 * A complete HTTP response with a buffered body. Subclass it (or use {@link JSONResponse}, {@link HTMLResponse},
 * …) and return it from a route to take full control of what is sent.
 *
 * @example
 * return new Response("<xml/>", { status: 200, mediaType: "application/xml", headers: { "cache-control": "no-store" } });
 */
export class Response {
  status: number;
  /** Lower-case names; a null-prototype object, so `headers["constructor"]` is never inherited junk. */
  readonly headers: Record<string, string | string[]>;
  body: string | Uint8Array | null;

  constructor(body: string | Uint8Array | null = null, init: ResponseInit = {}) {
    this.status = init.status ?? 200;
    this.body = body;
    const headers: Record<string, string | string[]> = nullObject<string | string[]>();
    if (init.headers) {
      for (const key of Object.keys(init.headers)) appendHeader(headers, key.toLowerCase(), init.headers[key]);
    }
    // Set at construction (as Starlette does) so middleware sees the final content-type.
    if (init.mediaType !== undefined && headers["content-type"] === undefined) {
      headers["content-type"] = withCharset(init.mediaType);
    }
    this.headers = headers;
  }

  /**
   * Adds a `Set-Cookie` header. Throws a `TypeError` for names or values that could inject headers.
   *
   * @example
   * response.setCookie("session", token, { httpOnly: true, secure: true, maxAge: 3600 });
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    // Always an array (even for one cookie) so callers can push to it without checking the type.
    appendHeader(this.headers, "set-cookie", [serializeCookie(name, value, options)]);
    return this;
  }

  /**
   * Tells the browser to drop a cookie. Pass the same `path`/`domain` it was set with, or the browser keeps it.
   *
   * @example
   * response.deleteCookie("session");
   */
  deleteCookie(
    name: string,
    options: Pick<CookieOptions, "path" | "domain" | "secure" | "httpOnly" | "sameSite"> = {},
  ): this {
    return this.setCookie(name, "", { ...options, maxAge: 0, expires: new Date(0) });
  }

  /**
   * Writes status, headers and body to the raw response. Subclasses that stream override it.
   *
   * `content-length` is always recomputed from the body (middleware may have replaced it); it and the body are
   * dropped for statuses that forbid a body, and `HEAD` gets the same headers with no body. Does nothing when the
   * client is already gone.
   *
   * @example
   * new PlainTextResponse("ok").send(res, { method: req.method!, requestHeaders: req.headers });
   */
  send(raw: RawResponse, ctx: SendContext): void | Promise<void> {
    if (raw.destroyed) return;
    const headers = this.headers;
    if (statusHasNoBody(this.status)) {
      delete headers["content-length"];
      raw.writeHead(this.status, headers);
      raw.end();
      return;
    }
    const body = this.body;
    headers["content-length"] =
      body === null ? "0" : typeof body === "string" ? String(Buffer.byteLength(body)) : String(body.byteLength);
    raw.writeHead(this.status, headers);
    if (ctx.method === "HEAD" || body === null) raw.end();
    else raw.end(body);
  }
}

/**
 * Serializes `content` with `JSON.stringify` once, at construction; `undefined` becomes `null`.
 *
 * @example
 * return new JSONResponse({ detail: "Conflict" }, { status: 409 });
 */
export class JSONResponse extends Response {
  constructor(content: unknown, init: ResponseInit = {}) {
    super(JSON.stringify(content) ?? "null", withDefaultMediaType(init, "application/json"));
  }
}

/**
 * An HTML page (`text/html; charset=utf-8`).
 *
 * @example
 * return new HTMLResponse("<h1>Hello</h1>");
 */
export class HTMLResponse extends Response {
  constructor(content: string | Uint8Array | null = null, init: ResponseInit = {}) {
    super(content, withDefaultMediaType(init, "text/html; charset=utf-8"));
  }
}

/**
 * Plain text (`text/plain; charset=utf-8`).
 *
 * @example
 * return new PlainTextResponse("pong");
 */
export class PlainTextResponse extends Response {
  constructor(content: string | Uint8Array | null = null, init: ResponseInit = {}) {
    super(content, withDefaultMediaType(init, "text/plain; charset=utf-8"));
  }
}

// Control characters (C0, DEL, C1) would split or corrupt the header: refused, never "cleaned".
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Characters left as they are in a `location`; like Starlette's quote() safe set plus RFC 3986 unreserved.
// `%` is kept so already-encoded URLs are not double-encoded.
const URL_SAFE = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;

/**
 * A redirect (default `307 Temporary Redirect`, which keeps the method and body) with an empty body.
 *
 * Spaces and non-ASCII characters in `url` are percent-encoded; control characters (CR, LF, …) throw a
 * `TypeError`, because a URL built from user input must never be able to inject headers.
 *
 * @example
 * return new RedirectResponse("/login?next=%2Fadmin", 303);
 */
export class RedirectResponse extends Response {
  constructor(url: string, status = 307, headers?: Record<string, string | string[]>) {
    if (CONTROL.test(url)) {
      throw new TypeError("Redirect URL contains control characters (CR, LF, …); refusing to send it as a header");
    }
    super(null, { status, headers });
    this.headers["location"] = quoteUrl(url);
  }
}

function quoteUrl(url: string): string {
  let out = "";
  for (const ch of url) out += URL_SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/** Adds `value` to a header, turning repeats into an array so none is lost. */
function appendHeader(headers: Record<string, string | string[]>, name: string, value: string | string[]): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = Array.isArray(value) ? [...value] : value;
  else headers[name] = ([] as string[]).concat(existing, value);
}

/** `text/*` without a charset gets `; charset=utf-8`, as Starlette does; other types are left alone. */
function withCharset(mediaType: string): string {
  return mediaType.startsWith("text/") && !/charset=/i.test(mediaType) ? `${mediaType}; charset=utf-8` : mediaType;
}

function withDefaultMediaType(init: ResponseInit, mediaType: string): ResponseInit {
  return init.mediaType === undefined ? { ...init, mediaType } : init;
}
