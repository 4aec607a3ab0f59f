import { randomUUID } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { TypefastError } from "../errors/typefast-error.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import { invalidToken, requireScopes } from "./challenge.ts";
import type { SecurityScopes } from "./security-scopes.ts";
import { TokenError } from "./token-error.ts";
import { verifySignature } from "./jws-verify.ts";
import { checkClaims, type ClaimRules } from "./jwt-claims.ts";
import { resolveKeys, toSeconds, type AsymmetricKey, type JWTAlgorithm, type TokenKeys } from "./token-keys.ts";

/** Options of {@link AccessTokens}. */
export interface AccessTokensOptions<C extends object = {}> {
  /** The one algorithm tokens are signed with and accepted in (verification is pinned to it). */
  algorithm: JWTAlgorithm;
  /** HMAC secret (HS256/384/512): at least as many bytes as the hash (32/48/64). Load it from the environment. */
  secret?: string | Uint8Array;
  /** Signing key for RS*, PS*, ES*, EdDSA (PEM, JWK or `KeyObject`); the public key is derived from it. */
  privateKey?: AsymmetricKey;
  /** Verification key, for services that only check tokens issued elsewhere. */
  publicKey?: AsymmetricKey;
  /** `iss` set on issue and required on verify. */
  issuer?: string;
  /** `aud` set on issue and required on verify (any one of them, when a list). */
  audience?: string | readonly string[];
  /** Lifetime of issued tokens: seconds or `"30m"`, `"12h"`, `"7d"`. Default `"15m"`. */
  expiresIn?: number | string;
  /** Accepted clock difference between issuer and verifier for `exp`/`nbf`/`iat` (default 0). */
  clockTolerance?: number | string;
  /**
   * The JWT `typ` header set and required (default `"at+jwt"`, RFC 9068 §2.1). It keeps other JWTs signed with the
   * same key — ID tokens, refresh or e-mail tokens — from being accepted as access tokens. `null` skips the check
   * (for tokens from a server that does not set it).
   */
  type?: string | null;
  /** A schema for your custom claims (e.g. `z.object({ roles: z.array(z.string()) })`), checked on verify. */
  claims?: StandardSchemaV1<unknown, C>;
}

/** The registered claims of a verified access token (RFC 7519 §4.1, RFC 9068 §2.2). */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly exp: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly jti?: string;
  readonly iss?: string;
  readonly aud?: string | string[];
  /** Granted scopes, space-separated (RFC 9068 §2.2.3). */
  readonly scope?: string;
}

/** What {@link AccessTokens.create} takes: `sub`, optional scopes, and your custom claims. */
export type NewTokenClaims<C> = { sub: string; scope?: string | readonly string[] } & Partial<C> & { readonly [claim: string]: unknown };

/** Per-token options of {@link AccessTokens.create}. */
export interface CreateTokenOptions {
  /** This token's lifetime instead of the configured one (seconds or `"30m"`). */
  expiresIn?: number | string;
}

// Claims the issuer sets itself: a caller's value would be silently overwritten, so it is refused instead.
const RESERVED = ["exp", "iat", "nbf", "iss", "aud", "jti"];

/**
 * Issues and verifies JWT access tokens with `jose`, safe by default: verification is pinned to the configured
 * algorithm (no `alg: none`, no HS256-with-an-RSA-public-key confusion), `exp` and `sub` are required, `typ` is
 * checked, keys too weak for the algorithm are refused at startup, and failures are {@link TokenError}s with a
 * stable `code` whose messages never contain the token.
 *
 * @example
 * const tokens = new AccessTokens({ algorithm: "HS256", secret: process.env.SECRET_KEY!, expiresIn: "30m", claims: z.object({ roles: z.array(z.string()).default([]) }) });
 * const jwt = await tokens.create({ sub: "alice", roles: ["admin"], scope: ["me", "items"] });
 * const claims = await tokens.verify(jwt);            // { sub: "alice", roles: ["admin"], scope: "me items", exp, iat, jti }
 */
export class AccessTokens<C extends object = {}> {
  readonly algorithm: JWTAlgorithm;
  readonly #keys: TokenKeys;
  readonly #options: AccessTokensOptions<C>;
  readonly #expiresIn: number;
  readonly #tolerance: number;
  readonly #type: string | undefined;
  readonly #rules: ClaimRules;

  constructor(options: AccessTokensOptions<C>) {
    this.algorithm = options.algorithm;
    this.#keys = resolveKeys(options.algorithm, options);
    this.#options = options;
    this.#expiresIn = toSeconds(options.expiresIn ?? "15m", "expiresIn");
    this.#tolerance = toSeconds(options.clockTolerance ?? 0, "clockTolerance");
    this.#type = options.type === null ? undefined : (options.type ?? "at+jwt");
    const audience = options.audience === undefined ? undefined : typeof options.audience === "string" ? [options.audience] : [...options.audience];
    this.#rules = { type: this.#type, issuer: options.issuer, audience, tolerance: this.#tolerance };
  }

  /**
   * Signs a new access token: your claims plus `iat`, `exp`, a random `jti` (for revocation lists), and the
   * configured `iss`/`aud`. `scope` may be given as a list; it is stored space-separated.
   * @example const jwt = await tokens.create({ sub: user.username, roles: user.roles }, { expiresIn: "5m" });
   */
  async create(claims: NewTokenClaims<C>, options: CreateTokenOptions = {}): Promise<string> {
    if (this.#keys.sign === undefined) {
      throw new TypefastError("TF_TOKEN_KEY", "AccessTokens: this instance has only a public key, so it can verify tokens but not issue them. Pass `privateKey`.");
    }
    if (typeof claims?.sub !== "string" || claims.sub === "") throw new TypeError("AccessTokens.create: `sub` (the user's identifier) must be a non-empty string.");
    for (const name of RESERVED) {
      if (name in claims) throw new TypeError(`AccessTokens.create: \`${name}\` is set from the options; do not pass it as a claim.`);
    }
    const { scope, ...rest } = claims as Record<string, unknown>;
    const payload: JWTPayload = { ...rest };
    if (scope !== undefined) payload.scope = Array.isArray(scope) ? scope.join(" ") : (scope as string);
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.expiresIn === undefined ? this.#expiresIn : toSeconds(options.expiresIn, "expiresIn");
    const jwt = new SignJWT(payload)
      .setProtectedHeader(this.#type === undefined ? { alg: this.algorithm } : { alg: this.algorithm, typ: this.#type })
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(randomUUID());
    if (this.#options.issuer !== undefined) jwt.setIssuer(this.#options.issuer);
    if (this.#options.audience !== undefined) jwt.setAudience(toList(this.#options.audience));
    return jwt.sign(this.#keys.sign);
  }

  /**
   * Verifies a token's signature, algorithm, type, `exp`/`nbf`, issuer and audience, then the custom claims
   * schema, and returns the claims. Throws {@link TokenError} when the token cannot be trusted.
   * @example const { sub, roles } = await tokens.verify(token);
   */
  async verify(token: string): Promise<AccessTokenClaims & C> {
    let signed = verifySignature(token, this.algorithm, this.#keys.verify);
    if (signed instanceof Promise) signed = await signed;
    checkClaims(signed, this.#rules);
    const payload = signed.payload as JWTPayload;
    const schema = this.#options.claims;
    if (schema === undefined) return payload as AccessTokenClaims & C;
    let checked = schema["~standard"].validate(payload);
    if (checked instanceof Promise) checked = await checked;
    if (checked.issues !== undefined) {
      const first = checked.issues[0]?.path?.[0];
      const claim = first === undefined ? undefined : String(typeof first === "object" ? first.key : first);
      throw new TokenError("claim_invalid", claim ? `The token's "${claim}" claim is invalid` : "The token's claims are invalid", claim);
    }
    // Registered claims stay even when the schema strips unknown keys.
    return { ...payload, ...(checked.value as object) } as AccessTokenClaims & C;
  }

  /**
   * {@link AccessTokens.verify} for a route: an untrusted token becomes a 401 with an RFC 6750 `invalid_token`
   * challenge, and missing scopes (from `Scopes()` or a list) a 403 `insufficient_scope`.
   *
   * @example
   * const getCurrentUser = Depends({ token: oauth2, scopes: Scopes() }, ({ token, scopes }) => tokens.authenticate(token, { scopes }));
   */
  async authenticate(token: string, options: { scopes?: SecurityScopes | readonly string[]; detail?: string } = {}): Promise<AccessTokenClaims & C> {
    let claims: AccessTokenClaims & C;
    try {
      claims = await this.verify(token);
    } catch (error) {
      if (error instanceof TokenError) throw invalidToken(error.message, options);
      throw error;
    }
    requireScopes(options.scopes ?? [], claims.scope);
    return claims;
  }
}

function toList(value: string | readonly string[]): string | string[] {
  return typeof value === "string" ? value : [...value];
}
