import { restoreStack, withoutStack } from "./no-stack.ts";

/** One problem with a request, in FastAPI's shape: `{"type","loc","msg","input","ctx"?}`. */
export interface ErrorDetail {
  /** A stable machine-readable kind: `missing`, `int_parsing`, `string_too_short`, `json_invalid`… */
  type: string;
  /** Where: the source then the path, e.g. `["body", "price"]`, `["query", "limit"]`. */
  loc: (string | number)[];
  /** A human-readable sentence. */
  msg: string;
  /** The offending value (for `missing`: the enclosing object, or `null`). */
  input: unknown;
  /** Constraint values used in `msg`, e.g. `{ "min_length": 3 }`. */
  ctx?: Record<string, unknown>;
}

/**
 * Every problem found in a request's path, query, headers, cookies and body, raised as one error; answered with
 * 422 `{"detail": [...]}` unless an exception handler for this class says otherwise.
 */
export class RequestValidationError extends Error {
  readonly #errors: ErrorDetail[];
  /** The parsed body, when there was one (FastAPI's `exc.body`). */
  readonly body: unknown;

  constructor(errors: ErrorDetail[], body?: unknown) {
    super(withoutStack(`${errors.length} validation error${errors.length === 1 ? "" : "s"}: ${summarize(errors)}`));
    restoreStack();
    this.name = "RequestValidationError";
    this.#errors = errors;
    this.body = body;
  }

  /** The list of problems, as sent in `detail`. */
  errors(): ErrorDetail[] {
    return this.#errors;
  }
}

/**
 * A handler returned data that does not match its route's response model. This is a server bug, so it is logged
 * with the problems and answered with a plain 500: the client never sees the data or the schema.
 */
export class ResponseValidationError extends Error {
  readonly #errors: ErrorDetail[];

  constructor(route: string, errors: ErrorDetail[]) {
    super(`${route}: the returned value does not match the response model: ${summarize(errors)}`);
    this.name = "ResponseValidationError";
    this.#errors = errors;
  }

  /** The list of problems found in the returned value. */
  errors(): ErrorDetail[] {
    return this.#errors;
  }
}

function summarize(errors: ErrorDetail[]): string {
  return errors
    .slice(0, 5)
    .map((e) => `${e.loc.join(".")}: ${e.msg}`)
    .join("; ");
}
