/**
 * The operation's `requestBody` from the plan's body parameters: a JSON body (bare or embedded), or a form
 * (urlencoded, or multipart when it has files).
 */
import type { ParamNode, RoutePlan } from "../di/plan.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import { acceptsUndefined, withParamOptions, type OperationContext } from "./parameters.ts";
import type { RequestBodyObject } from "./types.ts";

/** A file in a form: binary content (OpenAPI 3.1 spells it `contentMediaType`; Swagger UI reads `format`). */
const FILE_SCHEMA: JsonSchema = { type: "string", format: "binary", contentMediaType: "application/octet-stream" };

/**
 * Documents the body. A single, non-embedded JSON body is its schema (an unnamed object is published as
 * `Body_<operationId>`, as FastAPI does); embedded bodies and form fields become the properties of a
 * `Body_<operationId>` object. Returns `undefined` when the route reads no body.
 */
export function documentRequestBody(plan: RoutePlan, ctx: OperationContext): RequestBodyObject | undefined {
  const bodies = plan.bodyParams.filter((b) => b.param.options.includeInSchema !== false);
  if (plan.body === "none" || bodies.length === 0) return undefined;
  if (plan.body === "json") return jsonBody(bodies, ctx);
  return formBody(bodies, ctx);
}

function jsonBody(bodies: ParamNode[], ctx: OperationContext): RequestBodyObject {
  const mediaType = bodies.find((b) => b.param.options.mediaType)?.param.options.mediaType ?? "application/json";
  const name = `Body_${ctx.operationId}`;
  if (!bodies[0].embedded) {
    const b = bodies[0];
    const schema = describe(ctx.registry.use(b.schema!, "input", { name, nameObjects: true }), b);
    return { content: { [mediaType]: { schema } }, required: !acceptsUndefined(b.schema!) };
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const b of bodies) {
    properties[b.wireName] = describe(ctx.registry.use(b.schema!, "input", { name: `${name}_${b.wireName}` }), b);
    if (!acceptsUndefined(b.schema!)) required.push(b.wireName);
  }
  const schema = ctx.registry.named(name, objectSchema(name, properties, required), "input");
  return { content: { [mediaType]: { schema } }, required: required.length > 0 };
}

function formBody(bodies: ParamNode[], ctx: OperationContext): RequestBodyObject {
  const mediaType = bodies.some((b) => b.source === "file") ? "multipart/form-data" : "application/x-www-form-urlencoded";
  const name = `Body_${ctx.operationId}`;
  const only = bodies.length === 1 ? bodies[0] : undefined;
  // One form model with its own id (`.meta({ id })`) is documented as that model, as FastAPI 0.115 does.
  if (only?.mode === "model" && only.schema !== undefined && typeof only.schema.inputJsonSchema().$ref === "string") {
    const schema = ctx.registry.use(only.schema, "input");
    return { content: { [mediaType]: { schema } }, required: !acceptsUndefined(only.schema) };
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const b of bodies) {
    if (b.source === "file") {
      properties[b.wireName] = describe(b.param.file?.multiple ? { type: "array", items: { ...FILE_SCHEMA } } : { ...FILE_SCHEMA }, b);
      if (!b.param.file?.optional) required.push(b.wireName);
    } else if (b.mode === "model") {
      const model = ctx.registry.use(b.schema!, "input", { unwrap: true });
      Object.assign(properties, model.properties as Record<string, JsonSchema> | undefined);
      for (const r of (model.required ?? []) as string[]) if (!required.includes(r)) required.push(r);
    } else {
      properties[b.wireName] = describe(ctx.registry.use(b.schema!, "input", { name: `${name}_${b.wireName}` }), b);
      if (!acceptsUndefined(b.schema!)) required.push(b.wireName);
    }
  }
  const schema = ctx.registry.named(name, objectSchema(name, properties, required), "input");
  return { content: { [mediaType]: { schema } }, required: required.length > 0 };
}

function objectSchema(title: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  const schema: JsonSchema = { title, type: "object", properties };
  if (required.length > 0) schema.required = required;
  return schema;
}

function describe(schema: JsonSchema, node: ParamNode): JsonSchema {
  const { description, deprecated } = node.param.options;
  if (description !== undefined) schema.description = description;
  if (deprecated) schema.deprecated = true;
  return withParamOptions(schema, node);
}
