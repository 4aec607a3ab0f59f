import { analyzeRoute } from "../di/analyze.ts";
import type { Dependency } from "../di/depends.ts";
import type { DependencyOverrides } from "../di/overrides.ts";
import { acceptsUnchanged } from "../models/fast-accept.ts";
import { compileJsonWriter } from "../models/json-writer.ts";
import { responseSchema } from "../models/response.ts";
import type { RoutePlan } from "../di/plan.ts";
import type { ParamsSpec } from "../params/marker.ts";
import { compileSchema, type CompiledSchema } from "../schema/compile.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import { parsePathTemplate } from "./path-template.ts";
import type { Handler, RouteOptions } from "./route-options.ts";

/**
 * A registered route: its definition and its frozen plan. The plan is built at registration (so every
 * misconfiguration fails at startup) and rebuilt only when `dependencyOverrides` change — a test-time event.
 */
export class Route {
  readonly methods: readonly string[];
  readonly path: string;
  readonly options: Readonly<RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>>;
  readonly handler: Handler<ParamsSpec, unknown>;
  /** The route's name: `options.name`, else the handler's function name. */
  readonly name: string;
  readonly pathParams: readonly string[];
  /** App-, router- and route-level side-effect dependencies, outermost first. */
  readonly dependencies: readonly Dependency[];
  readonly status: number;
  readonly responseModel: CompiledSchema | undefined;
  /** Writes a value `responseModel` validated, compiled from its output JSON Schema (plain schemas only). */
  readonly responseWriter: ((value: unknown) => string | undefined) | undefined;
  /** A sufficient test that `responseModel` accepts a value as it is: then only `responseWriter` runs. */
  readonly responseAccepts: ((value: unknown) => boolean) | undefined;
  /** The plan without overrides — what the OpenAPI document describes. */
  readonly basePlan: RoutePlan;
  #plan: RoutePlan;
  #planVersion = 0;

  constructor(
    methods: readonly string[],
    path: string,
    options: RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>,
    handler: Handler<ParamsSpec, unknown>,
    inherited: readonly Dependency[] = [],
  ) {
    if (typeof handler !== "function") {
      throw new TypeError(`${methods.join(",")} ${path}: the third argument must be the handler function (got ${typeof handler}).`);
    }
    this.methods = methods;
    this.path = path;
    this.options = options;
    this.handler = handler;
    this.name = options.name ?? (handler.name || "handler");
    this.pathParams = parsePathTemplate(path).paramNames;
    this.dependencies = [...inherited, ...(options.dependencies ?? [])];
    this.status = options.status ?? 200;
    const where = `${methods.join(",")} ${path}`;
    // A model (or any schema with `responseOptions`) is wrapped into the schema of exactly what is sent.
    const response = options.response && responseSchema(options.response, options.responseOptions);
    this.responseModel = response ? compileSchema(response, `${where}, response model`) : undefined;
    // Convert now so a schema JSON Schema cannot express fails at startup, not when /openapi.json is first read.
    const output = this.responseModel?.outputJsonSchema();
    // A model writes itself (aliases, computed fields); other schemas get a writer for their validated output.
    this.responseWriter = output !== undefined && response === options.response ? compileJsonWriter(output) : undefined;
    // Not exact: the writer leaves out undeclared keys just as the schema would drop them.
    this.responseAccepts = this.responseWriter && acceptsUnchanged(options.response, false);
    this.basePlan = this.#analyze(undefined);
    this.#plan = this.basePlan;
  }

  /** The plan to run now, rebuilt if the overrides changed since it was built. */
  plan(overrides: DependencyOverrides): RoutePlan {
    if (overrides.version !== this.#planVersion) {
      this.#planVersion = overrides.version;
      this.#plan = overrides.size === 0 ? this.basePlan : this.#analyze(overrides);
    }
    return this.#plan;
  }

  #analyze(overrides: DependencyOverrides | undefined): RoutePlan {
    return analyzeRoute({
      where: `${this.methods.join(",")} ${this.path}`,
      pathParams: this.pathParams,
      params: this.options.params ?? {},
      dependencies: this.dependencies,
      override: overrides && ((key) => overrides.lookup(key)),
    });
  }
}
