/**
 * The operation's `responses`: the success response (the response model under the route's status), the extra
 * `responses` declared on the route and its routers, and FastAPI's 422 when the route validates input.
 *
 * An extra response may name the media type its `model` describes with a `mediaType` field — a stream's items
 * under `text/event-stream` (`EventSourceResponse.describe()` sets it, non-enumerable) or `application/x-ndjson`.
 * It is read explicitly and never copied into the Response Object; on the success status it replaces the default
 * `application/json` content.
 */
import { STATUS_CODES } from "node:http";
import { TypefastError } from "../errors/typefast-error.ts";
import { statusHasNoBody } from "../http/status.ts";
import type { Route } from "../routing/route.ts";
import type { ResponseSpec } from "../routing/route-options.ts";
import { compileSchema, type CompiledSchema } from "../schema/compile.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import type { OperationContext } from "./parameters.ts";
import type { ResponseObject } from "./types.ts";

const JSON_MEDIA_TYPE = "application/json";

/** Where the 422 body's schema lives; its definition is {@link VALIDATION_SCHEMAS}. */
const HTTP_VALIDATION_ERROR = "#/components/schemas/HTTPValidationError";

/** Descriptions of status ranges, as FastAPI words them. */
const RANGES: Readonly<Record<string, string>> = {
  "1XX": "Information",
  "2XX": "Success",
  "3XX": "Redirection",
  "4XX": "Client Error",
  "5XX": "Server Error",
  DEFAULT: "Default Response",
};

/**
 * The responses object. `validates` is true when the route has parameters or a body, so it can answer 422;
 * the 422 entry is added unless the route documents its own 422, `4XX` or `default`.
 */
export function documentResponses(route: Route, validates: boolean, ctx: OperationContext): Record<string, ResponseObject> {
  const status = String(route.status);
  const extra = route.options.responses ?? {};
  const responses: Record<string, ResponseObject> = {};
  const success: ResponseObject = { description: route.options.responseDescription ?? "Successful Response" };
  // A success entry for another media type (an event stream, JSON Lines) documents what the route sends instead.
  const successMediaType = status in extra ? mediaTypeOf(extra[status] as ResponseSpec) : undefined;
  if (!statusHasNoBody(route.status) && (successMediaType === undefined || successMediaType === JSON_MEDIA_TYPE)) {
    const schema = route.responseModel
      ? ctx.registry.use(route.responseModel, "output", { name: `Response_${ctx.operationId}` })
      : {};
    success.content = { [JSON_MEDIA_TYPE]: { schema } };
  }
  responses[status] = success;
  const models = extraResponseModels(route);
  for (const code of Object.keys(extra)) {
    const spec = extra[code] as ResponseSpec;
    const { model: _model, mediaType: _mediaType, ...fields } = spec;
    const mediaType = mediaTypeOf(spec);
    const key = code.toUpperCase() === "DEFAULT" ? "default" : code.toUpperCase();
    const current = (responses[key] ??= { description: "" });
    const compiled = models.get(code);
    if (compiled !== undefined || mediaType !== undefined) {
      const content = ((current.content ??= {})[mediaType ?? JSON_MEDIA_TYPE] ??= {});
      if (compiled !== undefined) {
        const schema = ctx.registry.use(compiled, "output", { name: `Response_${key}_${ctx.operationId}` });
        // Through the registry: the schema's named parts are placeholders that a plain deep merge would break.
        content.schema = content.schema === undefined ? schema : ctx.registry.merge(content.schema, schema);
      }
    }
    ctx.registry.merge(current, structuredClone(fields));
    current.description = (fields.description as string | undefined) || current.description || statusText(key) || "Additional Response";
  }
  if (validates && !("422" in responses || "4XX" in responses || "default" in responses)) {
    responses["422"] = { description: "Validation Error", content: { "application/json": { schema: { $ref: HTTP_VALIDATION_ERROR } } } };
  }
  return responses;
}

/** The media type an extra response documents its `model` under, when it names one (see the module comment). */
function mediaTypeOf(spec: ResponseSpec | undefined): string | undefined {
  return (spec as { mediaType?: string } | undefined)?.mediaType;
}

/** True when the document needs {@link VALIDATION_SCHEMAS}. */
export function usesValidationError(responses: Record<string, ResponseObject>): boolean {
  return (responses["422"]?.content?.["application/json"]?.schema as JsonSchema | undefined)?.$ref === HTTP_VALIDATION_ERROR;
}

const compiledModels = new WeakMap<Route, Map<string, CompiledSchema>>();

/**
 * Compiles the `model` of every extra response (once per route) so one that JSON Schema cannot describe fails
 * when the route is registered — the app calls this from `addRoute` — rather than when the docs are first read.
 */
export function extraResponseModels(route: Route): Map<string, CompiledSchema> {
  let out = compiledModels.get(route);
  if (out) return out;
  out = new Map();
  const where = `${route.methods.join(",")} ${route.path}`;
  for (const [code, spec] of Object.entries(route.options.responses ?? {})) {
    if (!/^([1-5]\d\d|[1-5]XX|default)$/i.test(code)) {
      throw new TypefastError("TF_OPENAPI_RESPONSE", `${where}: responses key ${JSON.stringify(code)} is not a status code, a range such as "4XX", or "default".`);
    }
    const mediaType = (spec as { mediaType?: unknown } | undefined)?.mediaType;
    if (mediaType !== undefined && (typeof mediaType !== "string" || !mediaType.includes("/"))) {
      throw new TypefastError("TF_OPENAPI_RESPONSE", `${where}: responses[${JSON.stringify(code)}].mediaType must be a media type such as "text/event-stream", got ${JSON.stringify(mediaType)}.`);
    }
    if (spec?.model === undefined) continue;
    const compiled = compileSchema(spec.model, `${where}, response ${code} model`);
    compiled.outputJsonSchema();
    out.set(code, compiled);
  }
  compiledModels.set(route, out);
  return out;
}

function statusText(key: string): string | undefined {
  return RANGES[key.toUpperCase()] ?? STATUS_CODES[Number(key)];
}

/** FastAPI's validation error schemas, matching the body of every 422 Typefast sends. */
export const VALIDATION_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  HTTPValidationError: {
    title: "HTTPValidationError",
    type: "object",
    properties: {
      detail: { title: "Detail", type: "array", items: { $ref: "#/components/schemas/ValidationError" } },
    },
  },
  ValidationError: {
    title: "ValidationError",
    type: "object",
    properties: {
      loc: { title: "Location", type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
      msg: { title: "Message", type: "string" },
      type: { title: "Error Type", type: "string" },
      input: { title: "Input" },
      ctx: { title: "Context", type: "object" },
    },
    required: ["loc", "msg", "type"],
  },
};
