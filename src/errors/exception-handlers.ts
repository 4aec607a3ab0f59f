import { ClientDisconnectedError } from "../http/body.ts";
import type { Request } from "../http/request.ts";
import { JSONResponse, type Response } from "../http/response.ts";
import type { Logger } from "../logger.ts";
import { HTTPException } from "./http-exception.ts";
import { RequestValidationError } from "./validation-error.ts";

/** Turns an error into a response. Registered with `app.exceptionHandler(ErrorClass | status, handler)`. */
export type ExceptionHandler<E = any> = (request: Request, error: E) => Response | Promise<Response>;

/** A class of errors (matched with its subclasses). */
export type ErrorClass<E> = abstract new (...args: any[]) => E;

/**
 * The exception-handler registry: by error class (most derived class first, walking the prototype chain) and by
 * HTTP status for {@link HTTPException}s. What no handler claims becomes a logged 500 without internals.
 */
export class ExceptionHandlers {
  readonly #byClass = new Map<Function, ExceptionHandler>();
  readonly #byStatus = new Map<number, ExceptionHandler>();

  constructor(readonly logger: Logger) {}

  /** Registers a handler for a class of errors, or for HTTP exceptions of one status. */
  add(match: ErrorClass<unknown> | number, handler: ExceptionHandler): void {
    if (typeof match === "number") this.#byStatus.set(match, handler);
    else this.#byClass.set(match, handler);
  }

  /** Finds the handler for `error` and runs it; a failing handler is logged and answered with 500. */
  async handle(request: Request, error: unknown): Promise<Response> {
    const handler = this.#find(error);
    if (handler) {
      try {
        return await handler(request, error);
      } catch (failure) {
        this.logger.error(`The exception handler for ${describe(error)} failed on ${request.method} ${request.path}`, failure);
        return internalError();
      }
    }
    return this.#default(request, error);
  }

  #find(error: unknown): ExceptionHandler | undefined {
    if (error instanceof HTTPException) {
      const byStatus = this.#byStatus.get(error.status);
      if (byStatus) return byStatus;
    }
    if (typeof error !== "object" || error === null) return undefined;
    for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const handler = this.#byClass.get(proto.constructor);
      if (handler) return handler;
      // HTTP and validation errors have built-in handlers, found before any base class (Starlette registers them
      // like user handlers): a catch-all for `Error` must not turn every 404 and 422 into a 500 page.
      if (proto.constructor === HTTPException || proto.constructor === RequestValidationError) return undefined;
    }
    return undefined;
  }

  #default(request: Request, error: unknown): Response {
    if (error instanceof HTTPException) return httpExceptionResponse(error);
    if (error instanceof RequestValidationError) return validationErrorResponse(error);
    // The client left (or was cut off by a server timeout) before its body arrived: not a server bug, and nobody
    // is left to read an answer, so nothing is logged. 499 is nginx's "client closed request".
    if (error instanceof ClientDisconnectedError) return new JSONResponse({ detail: "Client Closed Request" }, { status: 499 });
    this.logger.error(`Unhandled error in ${request.method} ${request.path}`, error);
    return internalError();
  }
}

/** FastAPI's default answer to an {@link HTTPException}: `{"detail": …}` with its status and headers. */
export function httpExceptionResponse(error: HTTPException): Response {
  return new JSONResponse({ detail: error.detail }, { status: error.status, headers: error.headers });
}

/** FastAPI's default answer to a {@link RequestValidationError}: 422 `{"detail": [...]}`. */
export function validationErrorResponse(error: RequestValidationError): Response {
  try {
    return new JSONResponse({ detail: error.errors() }, { status: 422 });
  } catch {
    // An input too deep to serialize (a body of 100 000 nested arrays overflows JSON.stringify's stack): the
    // client still gets its 422, with the problems but without echoing the offending inputs.
    return new JSONResponse({ detail: error.errors().map(({ input: _input, ...rest }) => rest) }, { status: 422 });
  }
}

/** The only thing a client learns of a server bug. */
export function internalError(): Response {
  return new JSONResponse({ detail: "Internal Server Error" }, { status: 500 });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
