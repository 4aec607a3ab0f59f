import type { HTTPException } from "../errors/http-exception.ts";
import type { Request } from "../http/request.ts";
import { notAuthenticated } from "./challenge.ts";
import { SecurityScheme, type Credential, type SchemeOptions } from "./scheme.ts";

/** Options of the API key schemes. */
export interface APIKeyOptions<A extends boolean> extends SchemeOptions<A> {
  /** The header, query parameter or cookie that carries the key. */
  name: string;
}

type Where = "header" | "query" | "cookie";

// There is no registered HTTP auth scheme for API keys; FastAPI answers `WWW-Authenticate: APIKey`, and a 401
// must carry some challenge (RFC 9110 §15.5.2), so we do the same.
const API_KEY_CHALLENGE = "APIKey";

abstract class APIKeyBase<A extends boolean> extends SecurityScheme<Credential<string, A>> {
  /** Where the key is read from. */
  readonly keyName: string;

  protected constructor(where: Where, options: APIKeyOptions<A>) {
    if (typeof options?.name !== "string" || options.name === "") {
      throw new TypeError(`API key scheme: \`name\` (the ${where} that carries the key) is required.`);
    }
    super({ type: "apiKey", name: options.name, in: where }, options);
    this.keyName = options.name;
  }

  protected abstract read(request: Request): string | string[] | undefined;

  protected extract(request: Request): string | HTTPException {
    const value = this.read(request);
    // An empty value is no key (as FastAPI); a repeated one is ambiguous, so it is refused rather than guessed.
    if (value === undefined || value === "") return notAuthenticated(API_KEY_CHALLENGE);
    if (Array.isArray(value)) return notAuthenticated(API_KEY_CHALLENGE, "Invalid authentication credentials");
    return value;
  }
}

/**
 * An API key in a request header. Resolves to the key; compare it with {@link compareSecrets} or look up its
 * digest — never with `===` on the raw key.
 *
 * @example
 * const apiKey = new APIKeyHeader({ name: "X-API-Key" });
 * const checkKey = Depends({ key: apiKey }, ({ key }) => { if (!compareSecrets(key, process.env.API_KEY!)) throw new HTTPException(401, "Invalid API key"); });
 */
export class APIKeyHeader<A extends boolean = true> extends APIKeyBase<A> {
  constructor(options: APIKeyOptions<A>) {
    super("header", options);
  }
  protected read(request: Request): string | undefined {
    return request.header(this.keyName);
  }
}

/**
 * An API key in a query parameter (`?api_key=…`). Keys in URLs end up in logs and browser history: prefer a
 * header where you can.
 *
 * @example
 * const apiKey = new APIKeyQuery({ name: "api_key" });
 */
export class APIKeyQuery<A extends boolean = true> extends APIKeyBase<A> {
  constructor(options: APIKeyOptions<A>) {
    super("query", options);
  }
  protected read(request: Request): string | string[] | undefined {
    return request.query[this.keyName] as string | string[] | undefined;
  }
}

/**
 * An API key in a cookie.
 *
 * @example
 * const session = new APIKeyCookie({ name: "session" });
 */
export class APIKeyCookie<A extends boolean = true> extends APIKeyBase<A> {
  constructor(options: APIKeyOptions<A>) {
    super("cookie", options);
  }
  protected read(request: Request): string | undefined {
    return request.cookies[this.keyName];
  }
}
