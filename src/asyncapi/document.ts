/**
 * The AsyncAPI 3.0 document of an app's WebSocket routes, read from the same route plans that run them: one
 * channel per route (its address, path parameters, and the query and header schemas in a `ws` binding), one
 * message per declared `receive` / `send` schema, one operation per direction, and the security schemes of the
 * route's dependencies.
 */
import type { DependencyStep, ParamNode } from "../di/plan.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import type { WebSocketRoute } from "../websocket/route.ts";
import { SchemaRegistry, refName } from "./schemas.ts";

/** A whole AsyncAPI 3.0 document (loosely typed: it is data that users may post-process). */
export interface AsyncAPIDocument {
  asyncapi: "3.0.0";
  info: { title: string; version: string; description?: string; [extra: string]: unknown };
  defaultContentType?: string;
  servers?: Record<string, { host: string; protocol: string; pathname?: string; description?: string; [extra: string]: unknown }>;
  channels: Record<string, Record<string, unknown>>;
  operations: Record<string, Record<string, unknown>>;
  components: { schemas?: Record<string, JsonSchema>; messages?: Record<string, Record<string, unknown>>; securitySchemes?: Record<string, Record<string, unknown>>; [section: string]: unknown };
  [extra: string]: unknown;
}

/** What the generator reads from an app (an `App` has all of it). */
export interface AsyncAPISource {
  readonly title: string;
  readonly version: string;
  readonly description?: string | undefined;
  readonly rootPath: string;
  readonly websocketRoutes: readonly WebSocketRoute[];
}

/**
 * Builds the AsyncAPI 3.0 document of `app`'s WebSocket routes. `/asyncapi.json` serves it (with a `servers`
 * entry for the host that asked).
 *
 * @example
 * const doc = asyncapiDocument(app);
 * doc.channels.chat.address; // "/ws/{client_id}"
 */
export function asyncapiDocument(app: AsyncAPISource): AsyncAPIDocument {
  const registry = new SchemaRegistry();
  const messages: Record<string, Record<string, unknown>> = {};
  const securitySchemes: Record<string, Record<string, unknown>> = {};
  const channels: AsyncAPIDocument["channels"] = {};
  const operations: AsyncAPIDocument["operations"] = {};
  const info: AsyncAPIDocument["info"] = { title: app.title, version: app.version };
  if (app.description) info.description = app.description;

  for (const route of app.websocketRoutes) {
    if (route.options.includeInSchema === false) continue;
    const id = unique(identifier(route.name), channels);
    const channel: Record<string, unknown> = { address: app.rootPath + route.path };
    if (route.options.summary) channel.summary = route.options.summary;
    if (route.options.description) channel.description = route.options.description;
    const params = route.basePlan.params.filter((p) => p.param.options.includeInSchema !== false);
    const parameters = pathParameters(params);
    if (parameters) channel.parameters = parameters;
    channel.bindings = { ws: wsBinding(params, registry) };
    const channelMessages: Record<string, unknown> = {};
    channel.messages = channelMessages;
    channels[id] = channel;

    const security = route.basePlan.documented.flatMap((step) => securityOf(step, securitySchemes));
    const directions = [
      ["receive", route.settings.receive, "input", "Received"],
      ["send", route.settings.send, "output", "Sent"],
    ] as const;
    for (const [action, compiled, io, suffix] of directions) {
      if (compiled === undefined) continue;
      const payload = registry.payload(compiled, io);
      const name = unique(refName(payload) ?? `${pascal(id)}${suffix}`, messages);
      messages[name] = { name, contentType: "application/json", payload };
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
      const operation: Record<string, unknown> = {
        action,
        channel: { $ref: `#/channels/${id}` },
        messages: [{ $ref: `#/channels/${id}/messages/${name}` }],
      };
      if (route.options.summary) operation.summary = route.options.summary;
      if (route.options.tags?.length) operation.tags = route.options.tags.map((tag) => ({ name: tag }));
      if (security.length > 0) operation.security = security;
      operations[`${action}${pascal(id)}`] = operation;
    }
  }

  const components: AsyncAPIDocument["components"] = {};
  if (Object.keys(registry.schemas).length > 0) components.schemas = registry.schemas;
  if (Object.keys(messages).length > 0) components.messages = messages;
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;
  return { asyncapi: "3.0.0", info, defaultContentType: "application/json", channels, operations, components };
}

/** AsyncAPI 3.0 Parameter Objects have no schema: description, enum, default and examples are all they carry. */
function pathParameters(params: readonly ParamNode[]): Record<string, Record<string, unknown>> | undefined {
  let out: Record<string, Record<string, unknown>> | undefined;
  for (const p of params) {
    if (p.source !== "path") continue;
    const parameter: Record<string, unknown> = {};
    const schema = p.schema?.inputJsonSchema();
    const description = p.param.options.description ?? (schema?.description as string | undefined);
    if (description) parameter.description = description;
    if (Array.isArray(schema?.enum)) parameter.enum = schema.enum.map(String);
    if (schema?.default !== undefined) parameter.default = String(schema.default);
    if (p.param.options.examples) parameter.examples = p.param.options.examples.map(String);
    (out ??= {})[p.wireName] = parameter;
  }
  return out;
}

/** The `ws` channel binding (bindingVersion 0.1.0): the handshake's query and headers as object schemas. */
function wsBinding(params: readonly ParamNode[], registry: SchemaRegistry): Record<string, unknown> {
  const binding: Record<string, unknown> = { method: "GET" };
  for (const source of ["query", "header"] as const) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const p of params) {
      if (p.source !== source || p.schema === undefined) continue;
      const schema = registry.adopt(p.schema.inputJsonSchema());
      if (p.param.options.description && schema.description === undefined) schema.description = p.param.options.description;
      properties[p.wireName] = schema;
      if (isRequired(p)) required.push(p.wireName);
    }
    if (Object.keys(properties).length === 0) continue;
    binding[source === "query" ? "query" : "headers"] = { type: "object", properties, ...(required.length ? { required } : {}) };
  }
  binding.bindingVersion = "0.1.0";
  return binding;
}

function isRequired(p: ParamNode): boolean {
  const result = p.schema!.validate(undefined);
  return !(result instanceof Promise) && result.issues !== undefined;
}

/** OpenAPI security schemes (as the security dependencies carry them) in AsyncAPI 3.0 terms. */
function securityOf(step: DependencyStep, schemes: Record<string, Record<string, unknown>>): Record<string, unknown>[] {
  const declared = step.dependency.openapi?.securityScheme;
  if (declared === undefined) return [];
  const converted = convertScheme(declared.scheme);
  if (converted === undefined) return [];
  schemes[declared.name] ??= converted;
  // Scopes live on the scheme in AsyncAPI 3.0, so an operation needing some gets its own copy.
  return step.scopes.length === 0 ? [{ $ref: `#/components/securitySchemes/${declared.name}` }] : [{ ...converted, scopes: [...step.scopes] }];
}

function convertScheme(scheme: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const description = scheme.description === undefined ? {} : { description: scheme.description };
  switch (scheme.type) {
    case "apiKey":
      return { type: "httpApiKey", name: scheme.name, in: scheme.in, ...description };
    case "http":
      return { type: "http", scheme: scheme.scheme, ...(scheme.bearerFormat ? { bearerFormat: scheme.bearerFormat } : {}), ...description };
    case "openIdConnect":
      return { type: "openIdConnect", openIdConnectUrl: scheme.openIdConnectUrl, ...description };
    case "oauth2": {
      const flows: Record<string, unknown> = {};
      for (const [name, flow] of Object.entries((scheme.flows ?? {}) as Record<string, Record<string, unknown>>)) {
        const { scopes, ...rest } = flow;
        flows[name] = { ...rest, availableScopes: scopes ?? {} };
      }
      return { type: "oauth2", flows, ...description };
    }
    default:
      return undefined;
  }
}

function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, "_") || "websocket";
}

function pascal(id: string): string {
  return id.replace(/(^|[_.-]+)([a-zA-Z0-9])/g, (_, _sep: string, ch: string) => ch.toUpperCase());
}

function unique(name: string, taken: Record<string, unknown>): string {
  if (!(name in taken)) return name;
  let i = 2;
  while (`${name}${i}` in taken) i++;
  return `${name}${i}`;
}
