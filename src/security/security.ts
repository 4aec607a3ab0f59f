import { Depends, Dependency, type DependsOptions } from "../di/depends.ts";

/** Options of {@link Security}. */
export interface SecurityOptions extends DependsOptions {
  /** OAuth2 scopes this use of the dependency requires; they accumulate down the dependency graph. */
  scopes?: readonly string[];
}

/**
 * `Depends()` for security: the same dependency, plus the OAuth2 scopes this use requires. The scopes reach every
 * dependency below it through `Scopes()`, and appear in the operation's OpenAPI `security` requirement.
 *
 * @example
 * app.get("/items", { params: { user: Security(getCurrentUser, { scopes: ["items:read"] }) } }, ({ user }) => …);
 */
export function Security<T>(dependency: Dependency<T>, options: SecurityOptions = {}): Dependency<T> {
  const { scopes = [], ...rest } = options;
  const base = Depends(dependency, rest);
  return new Dependency(base.key, base.params, base.call, base.options, base.name, base.openapi, [...base.scopes, ...scopes]);
}
