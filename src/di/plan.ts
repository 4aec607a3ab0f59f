import type { CompiledSchema } from "../schema/compile.ts";
import type { ScalarKind } from "../schema/json-type.ts";
import type { Param, ParamSource } from "../params/param.ts";
import type { Dependency, DependencyScope } from "./depends.ts";
import type { SecurityScopes } from "../security/security-scopes.ts";

/** How a query/header/cookie/form value is shaped on the wire. */
export type ParamMode = "scalar" | "list" | "model";

/** A parameter analyzed at registration: where to read it, how to coerce it, how to validate it. */
export interface ParamNode {
  /** The key in the params object (the handler's argument name). */
  readonly key: string;
  readonly param: Param;
  readonly source: ParamSource;
  /** The name on the wire: alias, or the key (headers: lower-case, `_` → `-`). */
  readonly wireName: string;
  /** Where errors are reported: `["query", "limit"]`, `["body"]`, `["body", "item"]`. Body nodes get it after the walk. */
  loc: (string | number)[];
  /** For bodies: read from `body[wireName]` instead of the whole body. Decided once all bodies are known. */
  embedded: boolean;
  readonly schema: CompiledSchema | undefined;
  /**
   * A sufficient test that `schema` accepts a value unchanged (`z.int()`, `z.string().max(50)`, a `z.object` body of
   * such fields, …): when it passes, the schema call and the objects it makes are skipped. `undefined` when the
   * schema has none.
   */
  readonly fast: ((value: unknown) => boolean) | undefined;
  readonly mode: ParamMode;
  /** Coercion kinds of a scalar, or of a list's items. */
  readonly kinds: readonly ScalarKind[];
  /** For models: coercion of each declared property. */
  readonly properties: Readonly<Record<string, { kinds: readonly ScalarKind[]; list: boolean }>>;
}

/** An argument binding: a parameter to read, or a dependency slot to take a value from. */
export type Binding =
  | { readonly key: string; readonly param: ParamNode; readonly slot?: undefined; readonly scopes?: undefined }
  | { readonly key: string; readonly slot: number; readonly param?: undefined; readonly scopes?: undefined }
  | { readonly key: string; readonly scopes: SecurityScopes; readonly param?: undefined; readonly slot?: undefined };

/** One dependency call in the flattened graph. */
export interface DependencyStep {
  readonly dependency: Dependency;
  /** Index in the per-request value array. */
  readonly slot: number;
  readonly args: readonly Binding[];
  readonly scope: DependencyScope;
  /** The chain that led here, for error messages: `GET /items → getUser → getDb`. */
  readonly trail: string;
  /** OAuth2 scopes required on the path to this dependency (its own `Security()` scopes included). */
  readonly scopes: readonly string[];
}

/** What a route needs from the body, decided at registration so the request path never guesses. */
export type BodyKind = "none" | "json" | "form";

/**
 * A route's frozen execution plan: the dependency graph flattened in call order, the handler's bindings, and the
 * body handling. Validation, injection and the OpenAPI generator all read this one structure.
 */
export interface RoutePlan {
  readonly steps: readonly DependencyStep[];
  /** Bindings of the handler's own argument object. */
  readonly root: readonly Binding[];
  /** Every parameter in the graph (for OpenAPI), in discovery order. */
  readonly params: readonly ParamNode[];
  readonly body: BodyKind;
  /** The body parameters (JSON or form), for OpenAPI. */
  readonly bodyParams: readonly ParamNode[];
  readonly slotCount: number;
  /** Steps whose dependency carries OpenAPI data (security schemes), with their accumulated scopes. */
  readonly documented: readonly DependencyStep[];
}
