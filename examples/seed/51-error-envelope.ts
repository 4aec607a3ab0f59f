/**
 * Seed example 51 — one error envelope for every error.
 *
 * Handlers for `HTTPException` and `RequestValidationError` replace the default bodies with
 * `{ error_code, message, details }`, so clients parse a single shape.
 */
import { z } from "zod";
import { App, HTTPException, JSONResponse, Path, RequestValidationError } from "../../src/index.ts";

export const ErrorResponse = z.object({
  error_code: z.string(), // machine-readable: "NOT_FOUND"
  message: z.string(), // human-readable
  details: z.unknown().default(null), // more context (validation errors…)
});
export type ErrorResponse = z.output<typeof ErrorResponse>;

export function makeError(code: string, message: string, details: unknown = null): ErrorResponse {
  return ErrorResponse.parse({ error_code: code, message, details });
}

const CODES: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  429: "RATE_LIMITED",
  500: "INTERNAL_ERROR",
};

export const app = new App({ title: "Error envelope" });

// FastAPI needs Starlette's HTTPException here to also catch routing 404/405; Typefast has one HTTPException class.
app.exceptionHandler(HTTPException, (_request, exc) =>
  new JSONResponse(makeError(CODES[exc.status] ?? "HTTP_ERROR", String(exc.detail)), { status: exc.status, headers: exc.headers }),
);

app.exceptionHandler(RequestValidationError, (_request, exc) =>
  new JSONResponse(makeError("VALIDATION_ERROR", "Request validation failed", exc.errors()), { status: 422 }),
);

app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, ({ item_id }) => {
  if (item_id !== 1) throw new HTTPException(404, "Item not found");
  return { id: 1, name: "Widget" };
});
