/**
 * One error envelope for the whole app and its mounted versions (seed example 51): every error answers
 * `{ error_code, message, details }` with the right status and headers — HTTP errors, validation errors, database
 * constraint violations nobody expected (409, never a 500) and bugs (a logged 500 that reveals nothing).
 */
import { z } from "zod";
import { HTTPException, JSONResponse, RequestValidationError, type App, type OpenAPIDocument, type SchemaObject } from "../../src/index.ts";
import { genericViolation, violationOf, type ApiErrorDetail } from "./db/errors.ts";
import type { AppLogger } from "./logging.ts";
import { ErrorBody } from "./models.ts";

const CODES: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
  500: "INTERNAL_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

export function envelope(status: number, error_code: string, message: string, details: unknown = null, headers?: Record<string, string>): JSONResponse {
  return new JSONResponse({ error_code, message, details }, { status, headers });
}

function isApiErrorDetail(detail: unknown): detail is ApiErrorDetail {
  return typeof detail === "object" && detail !== null && typeof (detail as ApiErrorDetail).code === "string" && typeof (detail as ApiErrorDetail).message === "string";
}

function fromHttpException(exc: HTTPException): JSONResponse {
  if (isApiErrorDetail(exc.detail)) return envelope(exc.status, exc.detail.code, exc.detail.message, exc.detail.details ?? null, exc.headers);
  const message = typeof exc.detail === "string" ? exc.detail : "Request failed";
  const details = typeof exc.detail === "string" ? null : exc.detail;
  return envelope(exc.status, CODES[exc.status] ?? "HTTP_ERROR", message, details, exc.headers);
}

/** Installs the envelope handlers on `app` (the root app and each mounted version). */
export function installErrorEnvelope(app: App<any>, logger: AppLogger): void {
  app.exceptionHandler(HTTPException, (_request, exc) => fromHttpException(exc));

  app.exceptionHandler(RequestValidationError, (_request, exc) =>
    envelope(422, "VALIDATION_ERROR", "The request is invalid: see details", exc.errors()),
  );

  app.exceptionHandler(Error, (request, error) => {
    // A constraint violation no repository translated is still the client's doing (a conflict), not a bug.
    const violation = violationOf(error);
    if (violation !== undefined) return fromHttpException(genericViolation(violation));
    // Anything else is a bug: logged with its stack (and the request id), answered without internals.
    logger.error(`Unhandled error in ${request.method} ${request.path}`, error);
    return envelope(500, "INTERNAL_ERROR", "Internal Server Error");
  });

  app.customizeOpenAPI(documentEnvelope);
}

const ERROR_REF = "#/components/schemas/ErrorResponse";

/** The generated 422s describe FastAPI's `{"detail": [...]}`; this app answers with the envelope: say so. */
function documentEnvelope(doc: OpenAPIDocument): void {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, any> }>)) {
      const invalid = operation?.responses?.["422"];
      if (invalid?.content?.["application/json"]?.schema?.$ref === "#/components/schemas/HTTPValidationError") {
        operation.responses!["422"] = { description: "Invalid input: `details` lists every problem", content: { "application/json": { schema: { $ref: ERROR_REF } } } };
      }
    }
  }
  const schemas = (doc.components ??= {}).schemas ??= {};
  delete schemas.HTTPValidationError;
  delete schemas.ValidationError;
  if (schemas.ErrorResponse === undefined) {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(ErrorBody);
    schemas.ErrorResponse = schema as SchemaObject;
  }
}
