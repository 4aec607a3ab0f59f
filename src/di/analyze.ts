import { TypefastError } from "../errors/typefast-error.ts";
import { isParam, type Param } from "../params/param.ts";
import type { ParamsSpec } from "../params/marker.ts";
import { compileSchema } from "../schema/compile.ts";
import { acceptsUnchanged } from "../models/fast-accept.ts";
import { fastCheck } from "../models/fast-check.ts";
import { jsonShape } from "../schema/json-type.ts";
import { Dependency, isDependency } from "./depends.ts";
import { SecurityScopes, isScopesMarker } from "../security/security-scopes.ts";
import type { Binding, BodyKind, DependencyStep, ParamNode, RoutePlan } from "./plan.ts";

/** What the analyzer needs to know about the route it plans. */
export interface PlanInput {
  /** `GET /items/{item_id}` — used in every error message. */
  readonly where: string;
  /** Path parameter names in the route's template. */
  readonly pathParams: readonly string[];
  /** The handler's params. */
  readonly params: ParamsSpec;
  /** Side-effect dependencies: app's, then routers', then the route's own, in that order (as FastAPI). */
  readonly dependencies: readonly Dependency[];
  /** Replaces a dependency (by key) with another one: `app.dependencyOverrides`. */
  readonly override?: (key: object) => Dependency | undefined;
}

/**
 * Builds a route's plan once, at registration: walks the dependency graph depth-first (sub-dependencies before
 * the dependency, in declaration order, as FastAPI solves them), gives every distinct cached dependency one slot,
 * compiles every parameter, and rejects misconfiguration — cycles, path parameters missing from the path, JSON
 * bodies mixed with forms, values that are not markers — with a message that says what to change.
 */
export function analyzeRoute(input: PlanInput): RoutePlan {
  const steps: DependencyStep[] = [];
  const params: ParamNode[] = [];
  const bodyParams: ParamNode[] = [];
  const documented: DependencyStep[] = [];
  // Cache per dependency and required scopes: the same token check with other scopes is another call (FastAPI).
  const cached = new Map<object, Map<string, number>>();
  const visiting: string[] = [];
  const visitingKeys = new Set<object>();

  const bind = (spec: ParamsSpec, owner: string, trail: string, scopes: readonly string[]): Binding[] => {
    const out: Binding[] = [];
    for (const key of Object.keys(spec)) {
      const marker = spec[key] as unknown;
      if (isDependency(marker)) out.push({ key, slot: visit(marker, `${trail} → ${marker.name}`, scopes) });
      else if (isParam(marker)) out.push({ key, param: compileParam(key, marker, owner) });
      else if (isScopesMarker(marker)) out.push({ key, scopes: new SecurityScopes(scopes) });
      else {
        throw new TypefastError(
          "TF_PARAM_INVALID",
          `${owner}: params.${key} is not a parameter: use Path(), Query(), Header(), Cookie(), Body(), Form(), File() or Depends() (got ${describe(marker)}).`,
        );
      }
    }
    // Read parameters in FastAPI's order — path, query, header, cookie, then the body — so a 422 lists the
    // problems of one dependency in the order FastAPI's clients see them (the sort is stable).
    return out.sort((a, b) => sourceRank(a) - sourceRank(b));
  };

  const visit = (declared: Dependency, trail: string, parentScopes: readonly string[]): number => {
    const dep = input.override?.(declared.key) ?? declared;
    const scopes = declared.scopes.length === 0 ? parentScopes : [...new Set([...parentScopes, ...declared.scopes])];
    const scopeKey = scopes.length === 0 ? "" : [...scopes].sort().join(" ");
    // The cache key stays the declared one, so an override replaces every use of the original.
    const cacheKey = declared.key;
    if (dep.options.useCache) {
      const hit = cached.get(cacheKey)?.get(scopeKey);
      if (hit !== undefined) return hit;
    }
    if (visitingKeys.has(cacheKey)) {
      throw new TypefastError(
        "TF_DEPENDENCY_CYCLE",
        `${input.where}: dependency cycle ${[...visiting, dep.name].join(" → ")}. A dependency cannot depend on itself, directly or through others.`,
      );
    }
    visitingKeys.add(cacheKey);
    visiting.push(dep.name);
    const args = bind(dep.params, `${input.where}, dependency ${dep.name}`, trail, scopes);
    visiting.pop();
    visitingKeys.delete(cacheKey);
    if (dep.options.scope === "app") checkAppScope(dep, args, steps, input.where);
    const slot = steps.length;
    const step: DependencyStep = { dependency: dep, slot, args, scope: dep.options.scope, trail, scopes };
    steps.push(step);
    if (dep.openapi !== undefined) documented.push(step);
    if (dep.options.useCache) {
      let byScope = cached.get(cacheKey);
      if (!byScope) cached.set(cacheKey, (byScope = new Map()));
      byScope.set(scopeKey, slot);
    }
    return slot;
  };

  const compileParam = (key: string, param: Param, owner: string): ParamNode => {
    const node = buildParamNode(key, param, `${owner}, ${param.source} parameter '${key}'`);
    if (node.source === "path" && !input.pathParams.includes(node.wireName)) {
      throw new TypefastError(
        "TF_PARAM_PATH",
        `${owner}: path parameter '${node.wireName}' is not in the path. Add {${node.wireName}} to the path, or declare it with Query() instead.`,
      );
    }
    params.push(node);
    if (node.source === "body" || node.source === "form" || node.source === "file") bodyParams.push(node);
    return node;
  };

  for (const dep of input.dependencies) {
    if (!isDependency(dep)) {
      throw new TypefastError("TF_PARAM_INVALID", `${input.where}: dependencies must be Depends(...) markers (got ${describe(dep)}).`);
    }
    visit(dep, `${input.where} → ${dep.name}`, []);
  }
  const root = bind(input.params, input.where, input.where, []);
  const body = finishBodies(bodyParams, input.where);
  return Object.freeze({ steps, root, params, body, bodyParams, slotCount: steps.length, documented });
}

/** An app-scoped value is made once for every request, so it can only be built from other app-scoped values. */
function checkAppScope(dep: Dependency, args: readonly Binding[], steps: readonly DependencyStep[], where: string): void {
  for (const b of args) {
    const inner = b.slot !== undefined ? steps[b.slot]! : undefined;
    if (inner !== undefined && inner.scope === "app") continue;
    const what = b.param !== undefined ? `the ${b.param.source} parameter '${b.key}'` : inner !== undefined ? `the ${inner.scope}-scoped dependency ${inner.dependency.name}` : `security scopes ('${b.key}')`;
    throw new TypefastError(
      "TF_DEPENDENCY_SCOPE",
      `${where}: dependency ${dep.name} has scope "app" but uses ${what}. An app-scoped dependency is created once for the whole app, so it can only depend on other app-scoped dependencies.`,
    );
  }
}

function buildParamNode(key: string, param: Param, where: string): ParamNode {
  const { source, options } = param;
  let wireName = options.alias ?? key;
  if (source === "header") {
    if (options.alias === undefined && options.convertUnderscores !== false) wireName = key.replace(/_/g, "-");
    wireName = wireName.toLowerCase();
  }
  const schema = param.schema ? compileSchema(param.schema, where) : undefined;
  const shape = schema?.shape();
  let mode: ParamNode["mode"] = "scalar";
  // Null prototype: a client-chosen key such as `__proto__` or `constructor` must not find a "declared property".
  const properties: Record<string, { kinds: ParamNode["kinds"]; list: boolean }> = Object.create(null);
  if (shape && source !== "body" && source !== "file") {
    if (shape.object && !shape.array) {
      mode = "model";
      for (const [name, prop] of Object.entries(shape.properties)) {
        const p = jsonShape({ ...prop, $defs: schema!.inputJsonSchema().$defs });
        properties[name] = { kinds: p.kinds, list: p.array };
      }
    } else if (shape.array) mode = "list";
  }
  if (source === "path" && mode !== "scalar") {
    throw new TypefastError("TF_PARAM_PATH", `${where}: a path parameter must be a single value (string, number, boolean or enum), not a list or object.`);
  }
  return {
    key,
    param,
    source,
    wireName,
    // A model of query/header/cookie fields reads every field from the source itself, so its problems sit at
    // `["query", "limit"]` as in FastAPI — not under the parameter's own name, which is not on the wire.
    loc: mode === "model" ? [source === "form" ? "body" : source] : [source === "file" ? "body" : source === "form" ? "body" : source, wireName],
    embedded: false,
    schema,
    // A JSON body that passes is handed over as parsed: the test is exact, so it holds no key the schema would drop.
    fast: param.schema === undefined ? undefined : source === "body" ? acceptsUnchanged(param.schema, true) : mode === "scalar" ? fastCheck(param.schema) : undefined,
    mode,
    kinds: shape?.kinds ?? [],
    properties,
  };
}

/** Decides JSON body embedding (FastAPI: several bodies, or `embed: true`) and refuses JSON mixed with forms. */
function finishBodies(bodies: ParamNode[], where: string): BodyKind {
  if (bodies.length === 0) return "none";
  const json = bodies.filter((b) => b.source === "body");
  if (json.length > 0 && json.length < bodies.length) {
    throw new TypefastError(
      "TF_BODY_MIXED",
      `${where}: a request has one body, so Body() cannot be combined with Form() or File(). Send the data as form fields, or the files as base64 in JSON.`,
    );
  }
  if (json.length === 0) {
    for (const b of bodies) if (b.mode === "model") b.loc = ["body"];
    return "form";
  }
  const embed = json.length > 1 || json.some((b) => b.param.options.embed === true);
  for (const b of json) {
    b.embedded = embed;
    b.loc = embed ? ["body", b.wireName] : ["body"];
  }
  return "json";
}

const SOURCE_RANK: Record<string, number> = { path: 1, query: 2, header: 3, cookie: 4, body: 5, form: 5, file: 5 };

function sourceRank(binding: Binding): number {
  return binding.param === undefined ? 0 : SOURCE_RANK[binding.param.source]!;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" && "~standard" in (v as object)) return "a bare schema — wrap it, e.g. Query(schema)";
  return typeof v;
}

export { Dependency };
