import { nullObject } from "../null-object.ts";
import { serializeCookie, type CookieOptions } from "./cookies.ts";

/**
 * The response a handler or dependency can shape without building it (FastAPI's injected `Response`): a status
 * override, extra headers and cookies, merged into whatever the handler returns. Reach it as `ctx.response`.
 *
 * @example
 * app.get("/login", {}, (_args, { response }) => { response.setCookie("session", id, { httpOnly: true }); return { ok: true }; });
 */
export class ResponseParams {
  /** Overrides the route's status when set. */
  status: number | undefined = undefined;
  /** Extra headers (lower-case names). `set-cookie` is kept as a list. */
  readonly headers: Record<string, string | string[]> = nullObject();

  /** Sets (replaces) a header. */
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  /** Adds a `Set-Cookie` header. */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    const list = (this.headers["set-cookie"] ??= []) as string[];
    list.push(serializeCookie(name, value, options ?? {}));
    return this;
  }

  /** Adds a `Set-Cookie` header that expires the cookie now. */
  deleteCookie(name: string, options: Omit<CookieOptions, "maxAge" | "expires"> = {}): this {
    return this.setCookie(name, "", { ...options, maxAge: 0, expires: new Date(0) });
  }
}
