/**
 * `typefast/client`: a client typed by your app's routes, with no code generation. It imports no server code, so
 * it runs in browsers too; the route types come from a type-only import of the module that registers the routes.
 *
 * @example
 * import { createClient } from "typefast/client";
 * import type * as api from "../server/routes.ts";
 *
 * const client = createClient<typeof api>("http://127.0.0.1:8000");
 * const item = await client.get("/items/{item_id}", { path: { item_id: 1 } });
 *
 * @module typefast/client
 */
export { createClient, ClientError } from "./client.ts";
export type { Call, Client, ClientFetch, ClientOptions, InProcessClient, TypedClient } from "./client.ts";
export type {
  ArgsOf, ClientMethod, CommonOptions, Jsonify, MethodTable, PathParamNames, RequestOptionsOf, ResponseOf, RouteRequest, RouteResponse, RouteTable, RoutesOf, WithPrefix,
} from "./types.ts";
