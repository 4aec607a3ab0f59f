/**
 * Serves the AsyncAPI document beside the OpenAPI one: `GET /asyncapi.json`, registered by the app's first
 * WebSocket route and left out of the OpenAPI document.
 */
import { JSONResponse } from "../http/response.ts";
import type { Route } from "../routing/route.ts";
import type { RouteRegistrar } from "../routing/registrar.ts";
import { asyncapiDocument, type AsyncAPIDocument, type AsyncAPISource } from "./document.ts";

/** Where an app serves its AsyncAPI document. */
export const ASYNCAPI_URL = "/asyncapi.json";

/**
 * Registers `GET /asyncapi.json` on `app`. The document is generated on first request and regenerated when
 * WebSocket routes were added since; `servers` names the host (and `ws`/`wss` scheme) the request came to.
 *
 * @example
 * serveAsyncAPI(app); // done by app.websocket() for the first WebSocket route
 */
export function serveAsyncAPI(app: AsyncAPISource & RouteRegistrar<Route>, path = ASYNCAPI_URL): void {
  let cached: AsyncAPIDocument | undefined;
  let routes = -1;
  app.get(path, { includeInSchema: false, name: "asyncapi" }, (_, ctx) => {
    if (cached === undefined || routes !== app.websocketRoutes.length) {
      cached = asyncapiDocument(app);
      routes = app.websocketRoutes.length;
    }
    const request = ctx.request;
    const host = request.header("host");
    if (host === undefined) return new JSONResponse(cached);
    const secure = request.raw.socket?.encrypted === true || request.header("x-forwarded-proto") === "https";
    const server = { host, protocol: secure ? "wss" : "ws", description: "This server" };
    return new JSONResponse({ ...cached, servers: { default: server } });
  });
}
