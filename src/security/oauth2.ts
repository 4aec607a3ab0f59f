import type { HTTPException } from "../errors/http-exception.ts";
import type { Request } from "../http/request.ts";
import { readAuthorization } from "./authorization.ts";
import { bearerChallenge, notAuthenticated } from "./challenge.ts";
import { SecurityScheme, type Credential, type SchemeOptions } from "./scheme.ts";

/** OAuth2 scopes a scheme offers: scope → human description (shown as checkboxes in Swagger UI). */
export type OAuth2Scopes = Readonly<Record<string, string>>;

/** OpenAPI OAuth Flows Object (OpenAPI 3.1 §4.8.26): which flows the authorization server supports. */
export interface OAuthFlows {
  implicit?: { authorizationUrl: string; refreshUrl?: string; scopes: OAuth2Scopes };
  password?: { tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes };
  clientCredentials?: { tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes };
  authorizationCode?: { authorizationUrl: string; tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes };
}

/** Options of {@link OAuth2}. */
export interface OAuth2Options<A extends boolean> extends SchemeOptions<A> {
  flows: OAuthFlows;
}

/**
 * Reads an RFC 6750 bearer token and turns each failure into the right 401: no credentials (or another scheme's)
 * → `WWW-Authenticate: Bearer` with no error code (§3.1), a token that is not a b64token → `invalid_token`.
 */
export function extractBearer(request: Request): string | HTTPException {
  const read = readAuthorization(request.header("authorization"), "bearer");
  if (read.kind === "ok") return read.value;
  if (read.kind === "malformed") {
    return notAuthenticated(bearerChallenge({ error: "invalid_token", description: "Malformed bearer token" }), "Invalid authentication credentials");
  }
  return notAuthenticated(bearerChallenge());
}

/**
 * OAuth2 with any set of flows; resolves to the bearer token. Usually you want {@link OAuth2PasswordBearer} or
 * {@link OAuth2AuthorizationCodeBearer}, which fill in the flow for you.
 *
 * @example
 * const oauth2 = new OAuth2({ flows: { clientCredentials: { tokenUrl: "/token", scopes: { "jobs:run": "Run jobs" } } } });
 */
export class OAuth2<A extends boolean = true> extends SecurityScheme<Credential<string, A>> {
  /** The flows as documented (frozen). */
  readonly flows: Readonly<OAuthFlows>;

  constructor(options: OAuth2Options<A>) {
    const flows = cleanFlows(options.flows);
    super({ type: "oauth2", flows }, options);
    this.flows = flows;
  }

  protected extract(request: Request): string | HTTPException {
    return extractBearer(request);
  }
}

/** Options of {@link OAuth2PasswordBearer}. */
export interface OAuth2PasswordBearerOptions<A extends boolean> extends SchemeOptions<A> {
  /** Where clients `POST` username and password for a token; relative URLs resolve against the docs (`"token"`). */
  tokenUrl: string;
  /** Where clients refresh a token, if you offer it. */
  refreshUrl?: string;
  /** The scopes a token can be granted, with descriptions. */
  scopes?: OAuth2Scopes;
}

/**
 * OAuth2 "password" flow (RFC 6749 §4.3) with bearer tokens: resolves to the token from
 * `Authorization: Bearer …`, and documents `tokenUrl` so Swagger UI's **Authorize** dialog can log in with a
 * username and password. Pair it with {@link OAuth2PasswordRequestForm} on the token route.
 *
 * @example
 * const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read your profile" } });
 * const getCurrentUser = Depends({ token: oauth2, scopes: Scopes() }, async ({ token, scopes }) => (await tokens.authenticate(token, { scopes })).sub);
 */
export class OAuth2PasswordBearer<A extends boolean = true> extends OAuth2<A> {
  constructor(options: OAuth2PasswordBearerOptions<A>) {
    requireUrl(options, "tokenUrl", "OAuth2PasswordBearer");
    const { tokenUrl, refreshUrl, scopes = {}, ...rest } = options;
    super({ ...rest, flows: { password: { tokenUrl, refreshUrl, scopes } } });
  }
}

/** Options of {@link OAuth2AuthorizationCodeBearer}. */
export interface OAuth2AuthorizationCodeBearerOptions<A extends boolean> extends OAuth2PasswordBearerOptions<A> {
  /** Where users are sent to approve access (the authorization endpoint). */
  authorizationUrl: string;
}

/**
 * OAuth2 "authorization code" flow (RFC 6749 §4.1) with bearer tokens, for APIs whose tokens come from an external
 * authorization server. Resolves to the bearer token; validating it is your job (e.g. {@link AccessTokens} with
 * the server's public key).
 *
 * @example
 * const oauth2 = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://auth.example/authorize", tokenUrl: "https://auth.example/token" });
 */
export class OAuth2AuthorizationCodeBearer<A extends boolean = true> extends OAuth2<A> {
  constructor(options: OAuth2AuthorizationCodeBearerOptions<A>) {
    requireUrl(options, "authorizationUrl", "OAuth2AuthorizationCodeBearer");
    requireUrl(options, "tokenUrl", "OAuth2AuthorizationCodeBearer");
    const { authorizationUrl, tokenUrl, refreshUrl, scopes = {}, ...rest } = options;
    super({ ...rest, flows: { authorizationCode: { authorizationUrl, tokenUrl, refreshUrl, scopes } } });
  }
}

/** Options of {@link OpenIdConnect}. */
export interface OpenIdConnectOptions<A extends boolean> extends SchemeOptions<A> {
  /** The provider's discovery document (`…/.well-known/openid-configuration`). */
  openIdConnectUrl: string;
}

/**
 * OpenID Connect: documents the provider's discovery URL and resolves to the bearer access token. (FastAPI hands
 * back the raw `Authorization` header; we parse it as RFC 6750 requires, so a malformed header is a 401 here.)
 *
 * @example
 * const oidc = new OpenIdConnect({ openIdConnectUrl: "https://accounts.example/.well-known/openid-configuration" });
 */
export class OpenIdConnect<A extends boolean = true> extends SecurityScheme<Credential<string, A>> {
  constructor(options: OpenIdConnectOptions<A>) {
    requireUrl(options, "openIdConnectUrl", "OpenIdConnect");
    const { openIdConnectUrl, ...rest } = options;
    super({ type: "openIdConnect", openIdConnectUrl }, rest);
  }

  protected extract(request: Request): string | HTTPException {
    return extractBearer(request);
  }
}

// Misconfiguration fails in the constructor, with the option to fix (habit 5 of STYLE.md).
function requireUrl(options: object | undefined, key: string, cls: string): void {
  const value = (options as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== "string" || value === "") throw new TypeError(`${cls}: the \`${key}\` option is required (a URL string).`);
}

// Drops `refreshUrl: undefined` so the documented object only has what was given, and freezes it.
function cleanFlows(flows: OAuthFlows): Readonly<OAuthFlows> {
  const out: Record<string, unknown> = {};
  for (const [name, flow] of Object.entries(flows)) {
    if (flow === undefined) continue;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(flow as Record<string, unknown>)) if (v !== undefined) copy[k] = k === "scopes" ? Object.freeze({ ...(v as object) }) : v;
    copy.scopes ??= Object.freeze({});
    out[name] = Object.freeze(copy);
  }
  return Object.freeze(out) as Readonly<OAuthFlows>;
}
