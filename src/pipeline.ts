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
import { solve } from "./di/solve.ts";
import { issuesToDetails } from "./errors/issue-to-detail.ts";
import { ResponseValidationError } from "./errors/validation-error.ts";
import type { Request } from "./http/request.ts";
import { Response } from "./http/response.ts";
import { statusHasNoBody } from "./http/status.ts";
import type { Route } from "./routing/route.ts";
import { onResponseSent } from "./http/after-response.ts";

/** Runs `route` for `request` and returns the response to send; never rejects for request or handler errors. */
export async function runRoute(app: App, route: Route, request: Request): Promise<Response> {
  const ctx = new Context(request);
  const exits = new ExitStack();
  let response: Response;
  try {
    const args = await solve(route.plan(app.dependencyOverrides), ctx, exits, app.wrongContentType);
    let result = route.handler(args as never, ctx);
    if (result instanceof Promise) result = await result;
    if (exits.size > 0) await exits.close("function");
    response = await render(route, result, ctx);
  } catch (error) {
    const final = exits.size > 0 ? await exits.unwind(error) : error;
    response = await app.exceptionHandlers.handle(request, final);
  }
  const background = ctx.peekBackground();
  if (exits.size > 0 || background !== undefined) {
    onResponseSent(request, async () => {
      if (background) await background.run((e) => app.logger.error(`A background task of ${request.method} ${request.path} failed`, e));
      if (exits.size > 0) {
        await exits.close("request").catch((e) => app.logger.error(`A dependency teardown of ${request.method} ${request.path} failed after the response was sent`, e));
      }
    });
  }
  return response;
}

async function render(route: Route, result: unknown, ctx: Context): Promise<Response> {
  const params = ctx.peekResponse();
  let response: Response;
  if (result instanceof Response) response = result;
  else {
    let value = result;
    if (route.responseModel !== undefined) {
      let checked = route.responseModel.validate(result);
      if (checked instanceof Promise) checked = await checked;
      if (checked.issues !== undefined) {
        const where = `${ctx.request.method} ${route.path}`;
        throw new ResponseValidationError(where, issuesToDetails(checked.issues, ["response"], result));
      }
      value = checked.value;
    }
    const status = params?.status ?? route.status;
    response = statusHasNoBody(status)
      ? new Response(null, { status })
      : new Response(JSON.stringify(value) ?? "null", { status, mediaType: "application/json" });
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
