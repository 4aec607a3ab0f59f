/**
 * Security from the dependency graph: a dependency that carries an OpenAPI security scheme
 * (`dependency.openapi.securityScheme`) documents it once in `components.securitySchemes`, and every operation
 * that depends on it — directly or through other dependencies — gets a `security` requirement with the OAuth2
 * scopes accumulated along the way (`Security(dep, { scopes })`).
 */
import type { RoutePlan } from "../di/plan.ts";
import type { Logger } from "../logger.ts";
import { canonicalJson } from "./json.ts";
import type { SecurityRequirementObject } from "./types.ts";

/** The security schemes of a whole document, by name. */
export class SecuritySchemes {
  readonly #schemes = new Map<string, { scheme: Readonly<Record<string, unknown>>; canon: string }>();
  readonly #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger;
  }

  /**
   * The operation's requirements, one per scheme (FastAPI lists each scheme as an alternative), with the scopes
   * of every use of that scheme in the graph merged. Registers the schemes it meets.
   */
  requirements(plan: RoutePlan, where: string): SecurityRequirementObject[] {
    const byName = new Map<string, string[]>();
    for (const step of plan.documented) {
      const scheme = step.dependency.openapi?.securityScheme;
      if (scheme === undefined) continue;
      this.#register(scheme.name, scheme.scheme, where);
      const scopes = byName.get(scheme.name) ?? [];
      for (const s of step.scopes) if (!scopes.includes(s)) scopes.push(s);
      byName.set(scheme.name, scopes);
    }
    return [...byName].map(([name, scopes]) => ({ [name]: scopes }));
  }

  /** `components.securitySchemes`, in the order first met (or `undefined` when there are none). */
  toComponents(): Record<string, Record<string, unknown>> | undefined {
    if (this.#schemes.size === 0) return undefined;
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, { scheme }] of this.#schemes) out[name] = structuredClone(scheme) as Record<string, unknown>;
    return out;
  }

  #register(name: string, scheme: Readonly<Record<string, unknown>>, where: string): void {
    const known = this.#schemes.get(name);
    if (known === undefined) this.#schemes.set(name, { scheme, canon: canonicalJson(scheme) });
    else if (known.scheme !== scheme && known.canon !== canonicalJson(scheme)) {
      this.#logger?.warn(`OpenAPI: ${where} uses another security scheme named "${name}"; the first one is documented. Give the schemes distinct names.`);
    }
  }
}
