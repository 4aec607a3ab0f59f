import { BackgroundTasks } from "./background.ts";
import { ResponseParams } from "./http/response-params.ts";
import type { Request } from "./http/request.ts";

/**
 * The second argument of every handler and dependency: the request, the response being shaped, and the
 * background tasks — FastAPI's injectable `Request`, `Response` and `BackgroundTasks` in one typed object.
 */
export interface RequestContext {
  /** The incoming request (headers, query, cookies, client, raw body readers, per-request `state`). */
  readonly request: Request;
  /** Status, headers and cookies to merge into the response. */
  readonly response: ResponseParams;
  /** Tasks to run after the response is sent. */
  readonly background: BackgroundTasks;
}

/** The per-request context object; `response` and `background` are created on first use only. */
export class Context implements RequestContext {
  #response: ResponseParams | undefined;
  #background: BackgroundTasks | undefined;

  constructor(readonly request: Request) {}

  get response(): ResponseParams {
    return (this.#response ??= new ResponseParams());
  }

  get background(): BackgroundTasks {
    return (this.#background ??= new BackgroundTasks());
  }

  /** The response params if anyone touched them (avoids creating one just to read it). */
  peekResponse(): ResponseParams | undefined {
    return this.#response;
  }

  /** The background tasks if any were queued. */
  peekBackground(): BackgroundTasks | undefined {
    return this.#background;
  }
}
