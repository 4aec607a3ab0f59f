import type { HTTPException } from "../errors/http-exception.ts";
import type { Request } from "../http/request.ts";
import { decodeBasic, readAuthorization } from "./authorization.ts";
import { bearerChallenge, challenge, notAuthenticated } from "./challenge.ts";
import { SecurityScheme, type Credential, type SchemeOptions } from "./scheme.ts";

/** Credentials from an `Authorization: <scheme> <credentials>` header. */
export interface HTTPAuthorizationCredentials {
  /** The scheme word as sent (`Bearer`, `bearer`…). */
  readonly scheme: string;
  /** The token after the scheme word. */
  readonly credentials: string;
}

/** A username and password from HTTP Basic authentication. */
export interface HTTPBasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Options of {@link HTTPBearer}. */
export interface HTTPBearerOptions<A extends boolean> extends SchemeOptions<A> {
  /** A hint of the token format for the docs, e.g. `"JWT"` (OpenAPI `bearerFormat`). */
  bearerFormat?: string;
}

/**
 * HTTP Bearer authentication (RFC 6750 §2.1): resolves to `{ scheme, credentials }` from
 * `Authorization: Bearer <token>`. No header, or another scheme → 401 `WWW-Authenticate: Bearer`; a token that is
 * not a valid b64token → 401 with `error="invalid_token"`.
 *
 * @example
 * const bearer = new HTTPBearer({ bearerFormat: "JWT" });
 * app.get("/me", { params: { auth: bearer } }, ({ auth }) => tokens.verify(auth.credentials));
 */
export class HTTPBearer<A extends boolean = true> extends SecurityScheme<Credential<HTTPAuthorizationCredentials, A>> {
  constructor(options: HTTPBearerOptions<A> = {}) {
    const model: Record<string, unknown> = { type: "http", scheme: "bearer" };
    if (options.bearerFormat !== undefined) model.bearerFormat = options.bearerFormat;
    super(model, options);
  }

  protected extract(request: Request): HTTPAuthorizationCredentials | HTTPException {
    const read = readAuthorization(request.header("authorization"), "bearer");
    if (read.kind === "missing") return notAuthenticated(bearerChallenge());
    if (read.kind === "other-scheme") return notAuthenticated(bearerChallenge(), "Invalid authentication credentials");
    if (read.kind === "malformed") {
      return notAuthenticated(bearerChallenge({ error: "invalid_token", description: "Malformed bearer token" }), "Invalid authentication credentials");
    }
    return { scheme: read.scheme, credentials: read.value };
  }
}

/** Options of {@link HTTPBasic}. */
export interface HTTPBasicOptions<A extends boolean> extends SchemeOptions<A> {
  /** The protection space named in the challenge (RFC 7617 §2 requires one; default `"api"`). */
  realm?: string;
}

/**
 * HTTP Basic authentication (RFC 7617): resolves to `{ username, password }`. Missing or undecodable credentials
 * → 401 with `WWW-Authenticate: Basic realm="…", charset="UTF-8"`, which makes browsers ask for a login.
 * Compare the password with {@link compareSecrets} (or verify a stored hash), never with `===`.
 *
 * @example
 * const basic = new HTTPBasic({ realm: "admin" });
 * app.get("/admin", { params: { creds: basic } }, ({ creds }) => {
 *   if (!compareSecrets(creds.username, "admin") || !compareSecrets(creds.password, process.env.ADMIN_PASSWORD!)) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": basic.challenge });
 *   return { ok: true };
 * });
 */
export class HTTPBasic<A extends boolean = true> extends SecurityScheme<Credential<HTTPBasicCredentials, A>> {
  /** The `WWW-Authenticate` value this scheme answers with; reuse it for your own "wrong password" 401. */
  readonly challenge: string;

  constructor(options: HTTPBasicOptions<A> = {}) {
    super({ type: "http", scheme: "basic" }, options);
    this.challenge = challenge("Basic", { realm: options.realm ?? "api", charset: "UTF-8" });
  }

  protected extract(request: Request): HTTPBasicCredentials | HTTPException {
    const read = readAuthorization(request.header("authorization"), "basic");
    if (read.kind === "missing") return notAuthenticated(this.challenge);
    if (read.kind === "ok") {
      const creds = decodeBasic(read.value);
      if (creds !== undefined) return creds;
    }
    return notAuthenticated(this.challenge, "Invalid authentication credentials");
  }
}
