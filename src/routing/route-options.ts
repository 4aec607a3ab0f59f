import type { RequestContext } from "../context.ts";
import type { Dependency } from "../di/depends.ts";
import type { Response } from "../http/response.ts";
import type { InferParams, ParamsSpec } from "../params/marker.ts";
import type { SerializeOptions } from "../models/kind.ts";
import type { InferInput, StandardSchemaV1 } from "../schema/standard-schema.ts";

/** An extra documented response of an operation (`responses={404: {...}}` in FastAPI). */
export interface ResponseSpec {
  description?: string;
  /** The body's schema, documented under `application/json`. */
  model?: StandardSchemaV1;
  /** Raw OpenAPI response object fields merged in. */
  [extra: string]: unknown;
}

/** Everything a route declares besides its path and handler. */
export interface RouteOptions<P extends ParamsSpec = ParamsSpec, R extends StandardSchemaV1 | undefined = undefined> {
  /** The handler's inputs: `Path()`, `Query()`, `Header()`, `Cookie()`, `Body()`, `Form()`, `File()`, `Depends()`. */
  params?: P;
  /** The response model: the return value is validated and filtered through it (no leaked fields). */
  response?: R;
  /**
   * How the response model writes the result (FastAPI's `response_model_by_alias`, `response_model_exclude_unset`,
   * …): `{ byAlias, excludeUnset, excludeDefaults, excludeNone, include, exclude }`. See `docs/models.md`.
   */
  responseOptions?: SerializeOptions;
  /** Success status code (default 200). */
  status?: number;
  /** Dependencies run for their side effects (auth checks, rate limits); their values are not passed. */
  dependencies?: readonly Dependency<any>[];
  /** OpenAPI: tags grouping this operation. */
  tags?: readonly string[];
  /** OpenAPI: one-line summary (default: from the handler's name). */
  summary?: string;
  /** OpenAPI: longer description (Markdown). */
  description?: string;
  /** OpenAPI: the operation id (default: derived from the handler's name and path, as FastAPI does). */
  operationId?: string;
  /** OpenAPI: the description of the success response (default "Successful Response"). */
  responseDescription?: string;
  /** OpenAPI: more documented responses, by status code. */
  responses?: Readonly<Record<number | string, ResponseSpec>>;
  /** OpenAPI: mark the operation deprecated. */
  deprecated?: boolean;
  /** `false` hides the route from the OpenAPI document. */
  includeInSchema?: boolean;
  /** OpenAPI: fields merged into the generated operation object (FastAPI's `openapi_extra`). */
  openapiExtra?: Record<string, unknown>;
  /** A name for the route (`url_for`); defaults to the handler's name. */
  name?: string;
}

/** What a handler may return: data shaped like the response model (when there is one), or a `Response`. */
export type HandlerResult<R> = R extends { readonly "~returns": infer T }
  ? T | Response // a model: values by field name (its Standard Schema input is the aliased wire form)
  : R extends StandardSchemaV1
    ? InferInput<R> | Response
    : unknown;

/** A route handler: its declared params, fully typed, and the request context. */
export type Handler<P extends ParamsSpec, R> = (
  args: InferParams<P>,
  ctx: RequestContext,
) => HandlerResult<R> | Promise<HandlerResult<R>>;
