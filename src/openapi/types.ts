/**
 * The OpenAPI 3.1 objects Typefast generates, typed loosely: the document is data that users post-process, so
 * every object accepts extra fields (`x-…` extensions, newer spec fields) and the known ones are optional.
 */
import type { JsonSchema } from "../schema/standard-schema.ts";

/** A JSON Schema (2020-12) as embedded in an OpenAPI 3.1 document. */
export type SchemaObject = JsonSchema;

/** `info.contact`. */
export interface ContactObject {
  name?: string;
  url?: string;
  email?: string;
  [extension: string]: unknown;
}

/** `info.license`: `identifier` (SPDX) or `url`, not both. */
export interface LicenseObject {
  name: string;
  identifier?: string;
  url?: string;
  [extension: string]: unknown;
}

/** `info`. */
export interface InfoObject {
  title: string;
  version: string;
  summary?: string;
  description?: string;
  termsOfService?: string;
  contact?: ContactObject;
  license?: LicenseObject;
  [extension: string]: unknown;
}

/** An entry of `servers`. */
export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
  [extension: string]: unknown;
}

/** An entry of the top-level `tags` (FastAPI's `openapi_tags`). */
export interface TagObject {
  name: string;
  description?: string;
  externalDocs?: { url: string; description?: string };
  [extension: string]: unknown;
}

/** An operation parameter (path, query, header or cookie). */
export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  schema?: SchemaObject;
  [extension: string]: unknown;
}

/** A media type entry of `content`. */
export interface MediaTypeObject {
  schema?: SchemaObject;
  [extension: string]: unknown;
}

/** `requestBody`. */
export interface RequestBodyObject {
  content: Record<string, MediaTypeObject>;
  required?: boolean;
  description?: string;
  [extension: string]: unknown;
}

/** One response of an operation. */
export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** A security requirement: scheme name → required scopes. */
export type SecurityRequirementObject = Record<string, string[]>;

/** An operation. */
export interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  /** Always generated; optional in OpenAPI 3.1 (hand-written webhooks may leave it out). */
  responses?: Record<string, ResponseObject>;
  deprecated?: boolean;
  security?: SecurityRequirementObject[];
  [extension: string]: unknown;
}

/** The operations of one path, by lower-case method. */
export interface PathItemObject {
  summary?: string;
  description?: string;
  get?: OperationObject;
  put?: OperationObject;
  post?: OperationObject;
  delete?: OperationObject;
  options?: OperationObject;
  head?: OperationObject;
  patch?: OperationObject;
  trace?: OperationObject;
  parameters?: ParameterObject[];
  servers?: ServerObject[];
  [extension: string]: unknown;
}

/** `components`. */
export interface ComponentsObject {
  schemas?: Record<string, SchemaObject>;
  securitySchemes?: Record<string, Record<string, unknown>>;
  [section: string]: unknown;
}

/** A whole OpenAPI 3.1 document. */
export interface OpenAPIDocument {
  openapi: string;
  info: InfoObject;
  jsonSchemaDialect?: string;
  servers?: ServerObject[];
  paths?: Record<string, PathItemObject>;
  webhooks?: Record<string, PathItemObject>;
  components?: ComponentsObject;
  security?: SecurityRequirementObject[];
  tags?: TagObject[];
  externalDocs?: { url: string; description?: string };
  [extension: string]: unknown;
}
