/**
 * One route, one request, top to bottom:
 *
 *   solve the plan (body → each dependency's params → dependency call … → handler params; one 422 for all problems)
 *   → handler → teardown of `scope: "function"` generators → response model: validate + filter → JSON
 *   on any error: throw it into the open generators (innermost first), then the exception handlers turn it into a
 *   response. After the response is sent: `scope: "request"` teardown, background tasks, temporary files.
 */
import type { App } from "./app.ts";
import { Context } from "./context.ts";
import { ExitStack } from "./di/exit-stack.ts";
import { solve, solveJsonBody, solveSimple } from "./di/solve.ts";
import { issuesToDetails } from "./errors/issue-to-detail.ts";
import { ResponseValidationError } from "./errors/validation-error.ts";
import type { Request } from "./http/request.ts";
import { Response } from "./http/response.ts";
import { statusHasNoBody } from "./http/status.ts";
import type { Route } from "./routing/route.ts";
import type { RoutePlan } from "./di/plan.ts";
import { onResponseSent } from "./http/after-response.ts";
import { stringifyJson } from "./models/jsonable.ts";
import type { StandardResult } from "./schema/standard-schema.ts";

/**
 * Runs `route` for `request` and returns the response to send; never rejects (or throws) for request or handler
 * errors. A route without dependencies or a body whose handler and response model are synchronous is answered
 * without making a single promise — most GET routes, and the cost of each promise counts at tens of thousands of
 * requests per second; with a JSON body, the body's promise is the only one.
 */
export function runRoute(app: App, route: Route, request: Request): Response | Promise<Response> {
  const plan = route.plan(app.dependencyOverrides);
  if (plan.steps.length !== 0) return runFull(app, route, request, plan);
  if (plan.body === "json") return runJsonBody(app, route, request, plan);
  if (plan.body !== "none") return runFull(app, route, request, plan);
  let args: Record<string, unknown> | undefined;
  try {
    args = solveSimple(plan, request);
  } catch (error) {
    return failed(app, request, error);
  }
  // An async validator: the general path handles it (and calls nothing twice: the handler has not run).
  return args === undefined ? runFull(app, route, request, plan) : answer(app, route, request, args);
}

// A JSON body and no dependencies (most POST and PUT routes): one promise for the body, then the same synchronous
// steps as a route without a body.
function runJsonBody(app: App, route: Route, request: Request, plan: RoutePlan): Promise<Response> {
  return request.body().then(
    (bytes) => {
      let args: Record<string, unknown> | undefined;
      try {
        args = solveJsonBody(plan, request, bytes, app.wrongContentType);
      } catch (error) {
        return failed(app, request, error);
      }
      return args === undefined ? runFull(app, route, request, plan) : answer(app, route, request, args);
    },
    (error) => failed(app, request, error),
  );
}

// Without dependencies nothing is ever pushed on the exit stack: one empty stack serves every such request.
const NO_EXITS = new ExitStack();

// Calls the handler with validated arguments of a route without dependencies, and renders its result.
function answer(app: App, route: Route, request: Request, args: Record<string, unknown>): Response | Promise<Response> {
  return callHandler(app, route, new Context(request), NO_EXITS, args);
}

// Without generators there is nothing to unwind; background tasks are dropped with the failed response.
function failed(app: App, request: Request, error: unknown): Promise<Response> {
  return app.exceptionHandlers.handle(request, error);
}

// The general path (dependencies, forms, async validators), written as a chain of steps that each continue at
// once when the previous one finished synchronously: a route whose dependencies, teardowns and handler are all
// synchronous makes no promise here, whatever its number of dependencies.
function runFull(app: App, route: Route, request: Request, plan: RoutePlan): Response | Promise<Response> {
  const ctx = new Context(request);
  const exits = new ExitStack();
  let args: Record<string, unknown> | Promise<Record<string, unknown>>;
  try {
    args = solve(plan, ctx, exits, app.wrongContentType, app.appScope);
  } catch (error) {
    return unwound(app, request, exits, error);
  }
  if (args instanceof Promise) return args.then((a) => callHandler(app, route, ctx, exits, a), (error) => unwound(app, request, exits, error));
  return callHandler(app, route, ctx, exits, args);
}

function callHandler(app: App, route: Route, ctx: Context, exits: ExitStack, args: Record<string, unknown>): Response | Promise<Response> {
  let result: unknown;
  try {
    result = route.handler(args as never, ctx);
  } catch (error) {
    return unwound(app, ctx.request, exits, error);
  }
  if (result instanceof Promise) return result.then((r) => closeAndRender(app, route, ctx, exits, r), (error) => unwound(app, ctx.request, exits, error));
  return closeAndRender(app, route, ctx, exits, result);
}

// Scope "function" generators are torn down before the response exists, so the client hears about their failure.
function closeAndRender(app: App, route: Route, ctx: Context, exits: ExitStack, result: unknown): Response | Promise<Response> {
  const closing = exits.size > 0 ? exits.close("function") : undefined;
  if (closing instanceof Promise) return closing.then(() => rendered(app, route, ctx, exits, result), (error) => unwound(app, ctx.request, exits, error));
  return rendered(app, route, ctx, exits, result);
}

function rendered(app: App, route: Route, ctx: Context, exits: ExitStack, result: unknown): Response | Promise<Response> {
  let response: Response | Promise<Response>;
  try {
    response = render(route, result, ctx);
  } catch (error) {
    return unwound(app, ctx.request, exits, error);
  }
  if (response instanceof Promise) return response.then((r) => completed(app, ctx, exits, r), (error) => unwound(app, ctx.request, exits, error));
  return completed(app, ctx, exits, response);
}

// Success: what is left to do happens after the response is sent — background tasks, then scope "request"
// teardown (synchronous when there are no tasks and every teardown is synchronous).
function completed(app: App, ctx: Context, exits: ExitStack, response: Response): Response {
  const request = ctx.request;
  const background = ctx.peekBackground();
  if (exits.size > 0 || background !== undefined) {
    const teardown = (): void | Promise<void> => {
      if (exits.size === 0) return;
      const closing = exits.close("request");
      if (closing instanceof Promise) {
        return closing.catch((e) => app.logger.error(`A dependency teardown of ${request.method} ${request.path} failed after the response was sent`, e));
      }
    };
    onResponseSent(request, () => {
      if (background === undefined) return teardown();
      return background.run((e) => app.logger.error(`A background task of ${request.method} ${request.path} failed`, e)).then(teardown);
    });
  }
  return response;
}

// Failure: the error is thrown into the open generators (innermost first), and what comes out is answered by the
// exception handlers. As in FastAPI, background tasks belong to the successful response: a request that failed
// (a 422, an HTTPException, a crash) must not still send the welcome e-mail its handler queued before failing.
function unwound(app: App, request: Request, exits: ExitStack, error: unknown): Promise<Response> {
  if (exits.size === 0) return failed(app, request, error);
  return exits.unwind(error).then((final) => app.exceptionHandlers.handle(request, final));
}

function render(route: Route, result: unknown, ctx: Context): Response | Promise<Response> {
  if (result instanceof Response || route.responseModel === undefined) return toResponse(route, result, result, ctx);
  // A value the model would accept as it is goes straight to the compiled writer.
  if (route.responseAccepts !== undefined && route.responseAccepts(result)) return toResponse(route, result, result, ctx, route.responseWriter);
  const checked = route.responseModel.validate(result);
  if (checked instanceof Promise) return checked.then((c) => toResponse(route, result, checkedValue(route, c, result, ctx), ctx, route.responseWriter));
  return toResponse(route, result, checkedValue(route, checked, result, ctx), ctx, route.responseWriter);
}

function checkedValue(route: Route, checked: StandardResult<unknown>, result: unknown, ctx: Context): unknown {
  if (checked.issues !== undefined) {
    const where = `${ctx.request.method} ${route.path}`;
    throw new ResponseValidationError(where, issuesToDetails(checked.issues, ["response"], result));
  }
  return checked.value;
}

function toResponse(route: Route, result: unknown, value: unknown, ctx: Context, write: ((value: unknown) => string | undefined) | undefined = undefined): Response {
  const params = ctx.peekResponse();
  let response: Response;
  if (result instanceof Response) response = result;
  else {
    const status = params?.status ?? route.status;
    response = statusHasNoBody(status)
      ? new Response(null, { status })
      : new Response(write === undefined ? stringifyJson(value) : (write(value) ?? "null"), { status, mediaType: "application/json" });
  }
  if (params !== undefined) mergeParams(response, params.headers);
  return response;
}

// Headers set through ctx.response apply to any response, returned or rendered; the handler's own win, except
// that cookies accumulate.
function mergeParams(response: Response, headers: Record<string, string | string[]>): void {
  for (const name in headers) {
    const value = headers[name]!;
    const existing = response.headers[name];
    if (name === "set-cookie") {
      response.headers[name] = ([] as string[]).concat(existing ?? [], value);
    } else if (existing === undefined) response.headers[name] = value;
  }
}
