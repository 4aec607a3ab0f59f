/**
 * Operation `parameters` from the route plan: every path, query, header and cookie parameter of the route and of
 * all its dependencies, in the order the plan discovered them.
 */
import type { ParamNode, RoutePlan } from "../di/plan.ts";
import type { CompiledSchema } from "../schema/compile.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import type { SchemaRegistry } from "./components.ts";
import type { ParameterObject } from "./types.ts";

const LOCATIONS = new Set(["path", "query", "header", "cookie"]);

/** What the parameter and body builders share for one operation. */
export interface OperationContext {
  readonly registry: SchemaRegistry;
  readonly operationId: string;
}

/**
 * The operation's parameters. Object models of query/header/cookie parameters expand into one parameter per
 * property (FastAPI 0.115); parameters read by a security scheme are documented by the scheme instead; hidden
 * ones (`includeInSchema: false`) and repeats of the same name and location are left out. A path template
 * parameter the handler does not declare is still in the URL: it is documented as a required string.
 */
export function documentParameters(plan: RoutePlan, pathParams: readonly string[], ctx: OperationContext): ParameterObject[] {
  const bySecurity = securityParams(plan);
  const seen = new Set<string>();
  const out: ParameterObject[] = [];
  const add = (p: ParameterObject): void => {
    const key = `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const node of plan.params) {
    if (!LOCATIONS.has(node.source) || node.schema === undefined) continue;
    if (node.param.options.includeInSchema === false || bySecurity.has(node)) continue;
    if (node.mode === "model") for (const p of expandModel(node, node.schema, ctx)) add(p);
    else add(single(node, node.schema, ctx));
  }
  for (const name of pathParams) add({ name, in: "path", required: true, schema: { type: "string" } });
  return out;
}

function single(node: ParamNode, compiled: CompiledSchema, ctx: OperationContext): ParameterObject {
  const schema = withParamOptions(ctx.registry.use(compiled, "input", { name: `${ctx.operationId}_${node.key}` }), node);
  const { description, deprecated } = node.param.options;
  const p: ParameterObject = {
    name: node.wireName,
    in: node.source as ParameterObject["in"],
    required: node.source === "path" || !acceptsUndefined(compiled),
  };
  if (description !== undefined) p.description = description;
  if (deprecated) p.deprecated = true;
  p.schema = schema;
  return p;
}

function expandModel(node: ParamNode, compiled: CompiledSchema, ctx: OperationContext): ParameterObject[] {
  const root = ctx.registry.use(compiled, "input", { unwrap: true });
  const properties = (root.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((root.required ?? []) as string[]);
  const out: ParameterObject[] = [];
  for (const name of Object.keys(properties)) {
    const schema = properties[name];
    const p: ParameterObject = { name, in: node.source as ParameterObject["in"], required: required.has(name) };
    if (typeof schema.description === "string") p.description = schema.description;
    if (schema.deprecated === true || node.param.options.deprecated) p.deprecated = true;
    p.schema = schema;
    out.push(p);
  }
  return out;
}

/** Adds a parameter's `title` and `examples` options to its schema, where JSON Schema keeps them. */
export function withParamOptions(schema: JsonSchema, node: ParamNode): JsonSchema {
  const { title, examples } = node.param.options;
  if (title !== undefined) schema.title = title;
  if (examples !== undefined) schema.examples = [...examples];
  return schema;
}

// A scheme such as an API key in a header reads that header itself: it shows up under the lock, not twice.
function securityParams(plan: RoutePlan): Set<ParamNode> {
  const out = new Set<ParamNode>();
  for (const step of plan.documented) {
    if (step.dependency.openapi?.securityScheme === undefined) continue;
    for (const arg of step.args) if (arg.param !== undefined) out.add(arg.param);
  }
  return out;
}

const optional = new WeakMap<object, boolean>();

/**
 * True when the schema accepts a missing value (it has a default, or is optional) — exactly what the request
 * path does with a missing parameter, so the document cannot disagree with the validator. Async schemas fall back
 * to the JSON Schema's `default`.
 */
export function acceptsUndefined(compiled: CompiledSchema): boolean {
  const known = optional.get(compiled.schema);
  if (known !== undefined) return known;
  let result: boolean;
  try {
    const checked = compiled.validate(undefined);
    if (checked instanceof Promise) {
      checked.catch(() => {});
      result = "default" in compiled.inputJsonSchema();
    } else result = checked.issues === undefined;
  } catch {
    result = false;
  }
  optional.set(compiled.schema, result);
  return result;
}
