/**
 * The whole OpenAPI 3.1 document from a list of routes — FastAPI's `get_openapi`. `app.openapi()` calls it with
 * the app's routes and settings; call it yourself to build a document from any routes.
 */
import type { Logger } from "../logger.ts";
import type { Route } from "../routing/route.ts";
import { SchemaRegistry } from "./components.ts";
import { buildOperation, defaultOperationId, openapiPath, type DocumentContext } from "./operation.ts";
import { usesValidationError, VALIDATION_SCHEMAS } from "./responses.ts";
import { SecuritySchemes } from "./security.ts";
import type { ContactObject, LicenseObject, OpenAPIDocument, PathItemObject, ServerObject, TagObject } from "./types.ts";

/** Inputs of {@link generateOpenAPI}. */
export interface GenerateOpenAPIOptions {
  title: string;
  version: string;
  /** The `openapi` field (default `"3.1.0"`). */
  openapiVersion?: string;
  summary?: string;
  description?: string;
  termsOfService?: string;
  contact?: ContactObject;
  license?: LicenseObject;
  /** The routes to document; those with `includeInSchema: false` are skipped. */
  routes: readonly Route[];
  /** Routes documented under `webhooks`, keyed by their path without the leading `/`. */
  webhooks?: readonly Route[];
  /** Top-level `tags`, with descriptions (FastAPI's `openapi_tags`). */
  tags?: readonly TagObject[];
  servers?: readonly ServerObject[];
  /** Receives warnings: duplicate operation ids, schema id clashes. */
  logger?: Logger;
}

/**
 * Generates an OpenAPI 3.1 document from routes, reading only their frozen plans and options: parameters of the
 * route and all its dependencies, request bodies, responses, named schemas as components, security schemes.
 *
 * @example
 * const doc = generateOpenAPI({ title: "Shop", version: "1.0.0", routes: app.routes });
 * doc.info["x-logo"] = { url: "https://example.com/logo.png" };
 */
export function generateOpenAPI(options: GenerateOpenAPIOptions): OpenAPIDocument {
  const ctx: DocumentContext = { registry: new SchemaRegistry(), security: new SecuritySchemes(options.logger) };
  const ids = new OperationIds(options.logger);
  let validation = false;
  const collect = (routes: readonly Route[], keyOf: (route: Route) => string): Record<string, PathItemObject> => {
    const out: Record<string, PathItemObject> = {};
    for (const route of routes) {
      if (route.options.includeInSchema === false) continue;
      const item = (out[keyOf(route)] ??= {});
      for (const method of route.methods) {
        const id = ids.take(route.options.operationId ?? defaultOperationId(route, method), `${method} ${route.path}`);
        const op = buildOperation(route, method, id, ctx);
        validation ||= usesValidationError(op.responses!);
        item[method.toLowerCase()] = op;
      }
    }
    return out;
  };
  const paths = collect(options.routes, (r) => openapiPath(r.path));
  const webhooks = options.webhooks && options.webhooks.length > 0 ? collect(options.webhooks, (r) => openapiPath(r.path).slice(1)) : undefined;

  const schemas = ctx.registry.finish(options.logger);
  if (validation) Object.assign(schemas, structuredClone(VALIDATION_SCHEMAS));
  const components: Record<string, unknown> = {};
  if (Object.keys(schemas).length > 0) components.schemas = sortKeys(schemas);
  const securitySchemes = ctx.security.toComponents();
  if (securitySchemes) components.securitySchemes = securitySchemes;

  const doc: OpenAPIDocument = { openapi: options.openapiVersion ?? "3.1.0", info: info(options) };
  if (options.servers && options.servers.length > 0) doc.servers = structuredClone([...options.servers]);
  doc.paths = paths;
  if (webhooks) doc.webhooks = webhooks;
  if (Object.keys(components).length > 0) doc.components = components;
  if (options.tags && options.tags.length > 0) doc.tags = structuredClone([...options.tags]);
  return doc;
}

function info(o: GenerateOpenAPIOptions): OpenAPIDocument["info"] {
  const out: OpenAPIDocument["info"] = { title: o.title } as OpenAPIDocument["info"];
  if (o.summary !== undefined) out.summary = o.summary;
  if (o.description !== undefined) out.description = o.description;
  if (o.termsOfService !== undefined) out.termsOfService = o.termsOfService;
  if (o.contact !== undefined) out.contact = { ...o.contact };
  if (o.license !== undefined) out.license = { ...o.license };
  out.version = o.version;
  return out;
}

/** Operation ids must be unique: a repeat gets `_2`, `_3`… (deterministic: routes in order) and a warning. */
class OperationIds {
  readonly #seen = new Set<string>();
  readonly #logger: Logger | undefined;
  constructor(logger: Logger | undefined) {
    this.#logger = logger;
  }
  take(id: string, where: string): string {
    let unique = id;
    for (let n = 2; this.#seen.has(unique); n++) unique = `${id}_${n}`;
    if (unique !== id) this.#logger?.warn(`OpenAPI: duplicate operation id "${id}" (${where}); documented as "${unique}". Set a distinct operationId.`);
    this.#seen.add(unique);
    return unique;
  }
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key];
  return out;
}
