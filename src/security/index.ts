/**
 * `typefast/security`: security schemes that document themselves, OAuth2 scopes, JWT access tokens, password
 * hashing and role checks.
 *
 * @example
 * import { OAuth2PasswordBearer, OAuth2PasswordRequestForm, AccessTokens, verifyPassword } from "typefast/security";
 *
 * @module typefast/security
 */
export { Security, type SecurityOptions } from "./security.ts";
export { Scopes, SecurityScopes, ScopesMarker } from "./security-scopes.ts";
export { SecurityScheme, type SchemeOptions, type Credential } from "./scheme.ts";
export { HTTPBearer, HTTPBasic } from "./http.ts";
export type { HTTPAuthorizationCredentials, HTTPBasicCredentials, HTTPBearerOptions, HTTPBasicOptions } from "./http.ts";
export { APIKeyHeader, APIKeyQuery, APIKeyCookie, type APIKeyOptions } from "./api-key.ts";
export { OAuth2, OAuth2PasswordBearer, OAuth2AuthorizationCodeBearer, OpenIdConnect } from "./oauth2.ts";
export type {
  OAuth2Options,
  OAuth2PasswordBearerOptions,
  OAuth2AuthorizationCodeBearerOptions,
  OpenIdConnectOptions,
  OAuthFlows,
  OAuth2Scopes,
} from "./oauth2.ts";
export { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "./password-form.ts";
export { challenge, bearerChallenge, notAuthenticated, invalidToken, requireScopes, splitScopes } from "./challenge.ts";
export type { BearerError, BearerChallengeOptions } from "./challenge.ts";
export { AccessTokens, type AccessTokensOptions, type AccessTokenClaims, type NewTokenClaims, type CreateTokenOptions } from "./tokens.ts";
export type { JWTAlgorithm, AsymmetricKey } from "./token-keys.ts";
export { TokenError, type TokenErrorCode } from "./token-error.ts";
export { PasswordHasher, hashPassword, verifyPassword, passwordNeedsRehash, type PasswordHashOptions } from "./password.ts";
export { compareSecrets } from "./compare.ts";
export { roleGuard } from "./roles.ts";
