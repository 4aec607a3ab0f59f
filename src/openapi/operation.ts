/**
 * One OpenAPI operation from one route and method, read from the route's plan and options only.
 */
import type { Route } from "../routing/route.ts";
import type { SchemaRegistry } from "./components.ts";
import { documentParameters } from "./parameters.ts";
import { documentRequestBody } from "./request-body.ts";
import { documentResponses } from "./responses.ts";
import type { SecuritySchemes } from "./security.ts";
import type { OperationObject } from "./types.ts";

/** Shared state of the document being generated. */
export interface DocumentContext {
  readonly registry: SchemaRegistry;
  readonly security: SecuritySchemes;
}

/**
 * Builds the operation for `method` of `route` with the given (already unique) operation id. Keys come in
 * FastAPI's order; `openapiExtra` is merged last, so it can change anything.
 */
export function buildOperation(route: Route, method: string, operationId: string, doc: DocumentContext): OperationObject {
  const { options } = route;
  const plan = route.basePlan;
  const ctx = { registry: doc.registry, operationId };
  const op: Partial<OperationObject> = {};
  if (options.tags && options.tags.length > 0) op.tags = [...options.tags];
  op.summary = options.summary ?? defaultSummary(route, method);
  if (options.description !== undefined) op.description = options.description;
  op.operationId = operationId;
  if (options.deprecated) op.deprecated = true;
  const security = doc.security.requirements(plan, `${method} ${route.path}`);
  if (security.length > 0) op.security = security;
  const parameters = documentParameters(plan, route.pathParams, ctx);
  if (parameters.length > 0) op.parameters = parameters;
  const body = documentRequestBody(plan, ctx);
  if (body !== undefined) op.requestBody = body;
  op.responses = documentResponses(route, plan.params.length > 0, ctx);
  // Through the registry: the operation's schemas hold placeholders that a plain deep merge would break.
  if (options.openapiExtra) doc.registry.merge(op, structuredClone(options.openapiExtra));
  return op as OperationObject;
}

/**
 * FastAPI's default operation id: the route name followed by its path, every non-word character turned into
 * `_`, then `_<method>` — `readItem` on `GET /items/{item_id}` gives `readItem_items__item_id__get`.
 */
export function defaultOperationId(route: Route, method: string): string {
  return `${route.name}${openapiPath(route.path)}`.replace(/[^\p{L}\p{N}_]/gu, "_") + `_${method.toLowerCase()}`;
}

/** The path as OpenAPI writes it: `{file_path:path}` becomes `{file_path}`. */
export function openapiPath(path: string): string {
  return path.replace(/\{([^}:]+):[^}]*\}/g, "{$1}");
}

/**
 * The summary FastAPI derives from the handler's name: words split on `_` and camel case, each capitalized —
 * `readItem` and `read_item` both give "Read Item". An anonymous handler is summarized by its method and path.
 */
export function defaultSummary(route: Route, method: string): string {
  const anonymous = route.options.name === undefined && !route.handler.name;
  return humanize(anonymous ? `${method.toLowerCase()} ${route.path}` : route.name);
}

/** `"readHTTPItem_v2"` → `"Read HTTP Item V2"`. */
export function humanize(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}
