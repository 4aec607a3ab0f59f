/**
 * WebSocket routes: what `app.websocket(path, options, handler)` declares, the frozen plan built from it at
 * registration (the same dependency analysis as HTTP routes), and the table that finds a route for an upgrade
 * request, mounted sub-apps included.
 */
import type { Dependency } from "../di/depends.ts";
import type { DependencyOverrides } from "../di/overrides.ts";
import type { RoutePlan } from "../di/plan.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import type { InferParams, ParamsSpec } from "../params/marker.ts";
import { ANY_METHOD, RadixRouter } from "../routing/radix-router.ts";
import { Route } from "../routing/route.ts";
import type { Handler } from "../routing/route-options.ts";
import { compileSchema, type CompiledSchema } from "../schema/compile.ts";
import type { InferInput, InferOutput, StandardSchemaV1 } from "../schema/standard-schema.ts";
import type { SocketSettings, WebSocket } from "./websocket.ts";

/**
 * Everything a WebSocket route declares besides its path and handler.
 *
 * @example
 * const options: WebSocketRouteOptions<{ room: Param<string> }, typeof ChatIn, typeof ChatOut> = {
 *   params: { room: Path() }, receive: ChatIn, send: ChatOut, maxMessageSize: 64 * 1024, pingInterval: 20_000,
 * };
 */
export interface WebSocketRouteOptions<
  P extends ParamsSpec = ParamsSpec,
  In extends StandardSchemaV1 | undefined = undefined,
  Out extends StandardSchemaV1 | undefined = undefined,
> {
  /** Inputs resolved **before** the handler runs: `Path()`, `Query()`, `Header()`, `Cookie()`, `Depends()` (no bodies). */
  params?: P;
  /** Dependencies run for their side effects (auth checks) before the handler. */
  dependencies?: readonly Dependency<any>[];
  /** Schema of the JSON messages the client sends: `receiveJson()` validates with it; documented in AsyncAPI. */
  receive?: In;
  /** Schema of the JSON messages the server sends: `sendJson()` validates and filters with it; documented in AsyncAPI. */
  send?: Out;
  /** Subprotocols the route speaks; `accept()` without an argument picks the client's first one in this list. */
  subprotocols?: readonly string[];
  /** Largest incoming message in bytes (default 1 MiB); a larger one closes the connection with 1009. */
  maxMessageSize?: number;
  /** Milliseconds between keep-alive pings (default 30 000; 0 turns them off). A peer that misses a pong is dropped. */
  pingInterval?: number;
  /** `send…()` waits for the socket to drain once this many bytes are queued (default 64 KiB). */
  highWaterMark?: number;
  /** Route name (default: the handler's name); the AsyncAPI channel id. */
  name?: string;
  /** AsyncAPI: one-line summary and longer description of the channel. */
  summary?: string;
  description?: string;
  /** AsyncAPI: tags of the channel's operations. */
  tags?: readonly string[];
  /** `false` leaves the route out of the AsyncAPI document. */
  includeInSchema?: boolean;
}

/** What `receiveJson()` returns for a route's `receive` schema (`unknown` without one). */
export type ReceivedMessage<In> = In extends StandardSchemaV1 ? InferOutput<In> : unknown;
/** What `sendJson()` accepts for a route's `send` schema (`unknown` without one). */
export type SentMessage<Out> = Out extends StandardSchemaV1 ? InferInput<Out> : unknown;

/**
 * A WebSocket handler: its declared params, fully typed, and the connection, typed by the message schemas.
 *
 * @example
 * const handler: WebSocketHandler<{ room: Param<string> }, undefined, undefined> = async ({ room }, ws) => { await ws.accept(); };
 */
export type WebSocketHandler<P extends ParamsSpec, In, Out> = (
  args: InferParams<P>,
  ws: WebSocket<ReceivedMessage<In>, SentMessage<Out>>,
) => void | Promise<void>;

const MiB = 1024 * 1024;

/** A registered WebSocket route: its options, socket settings and dependency plan. */
export class WebSocketRoute {
  readonly path: string;
  readonly options: Readonly<WebSocketRouteOptions<ParamsSpec, StandardSchemaV1 | undefined, StandardSchemaV1 | undefined>>;
  readonly handler: (args: Record<string, unknown>, ws: WebSocket<any, any>) => void | Promise<void>;
  /** `options.name`, else the handler's function name. */
  readonly name: string;
  readonly settings: SocketSettings;
  // The HTTP route machinery plans parameters and dependencies; a WebSocket route only differs after solving.
  readonly #planner: Route;

  constructor(path: string, options: WebSocketRouteOptions<any, any, any>, handler: WebSocketHandler<any, any, any>, inherited: readonly Dependency[] = []) {
    const where = `WebSocket ${path}`;
    if (typeof handler !== "function") throw new TypeError(`${where}: the third argument must be the handler function (got ${typeof handler}).`);
    this.path = path;
    this.options = options;
    this.handler = handler as WebSocketRoute["handler"];
    this.name = options.name ?? (handler.name || "websocket");
    this.#planner = new Route(["WEBSOCKET"], path, { params: options.params, dependencies: options.dependencies, name: this.name }, handler as unknown as Handler<ParamsSpec, unknown>, inherited);
    if (this.#planner.basePlan.bodyParams.length > 0) {
      throw new TypefastError(
        "TF_WEBSOCKET_BODY",
        `${where}: a WebSocket handshake has no body, so Body(), Form() and File() cannot be used. Receive data with ws.receiveJson() and declare its schema in \`receive\`.`,
      );
    }
    this.settings = {
      where,
      maxMessageSize: positive(options.maxMessageSize ?? MiB, "maxMessageSize", where),
      pingInterval: options.pingInterval === 0 ? 0 : positive(options.pingInterval ?? 30_000, "pingInterval", where),
      highWaterMark: positive(options.highWaterMark ?? 64 * 1024, "highWaterMark", where),
      subprotocols: options.subprotocols,
      receive: compile(options.receive, `${where}, receive schema`),
      send: compile(options.send, `${where}, send schema`),
    };
  }

  /** The plan without overrides (what the AsyncAPI document describes). */
  get basePlan(): RoutePlan {
    return this.#planner.basePlan;
  }

  /** The plan to run now, rebuilt when `dependencyOverrides` changed. */
  plan(overrides: DependencyOverrides): RoutePlan {
    return this.#planner.plan(overrides);
  }

  /** The app-, router- and route-level side-effect dependencies. */
  get dependencies(): readonly Dependency[] {
    return this.#planner.dependencies;
  }
}

/** Something a WebSocket path can be delegated to: a mounted sub-app. */
export interface WebSocketMountTarget<A> {
  readonly rootPath: string;
  matchWebSocket(path: string): WebSocketMatch<A> | null;
}

/** The route an upgrade request goes to, the app that owns it and the raw path parameters. */
export interface WebSocketMatch<A> {
  readonly app: A;
  readonly route: WebSocketRoute;
  readonly params: Record<string, string>;
}

const MOUNT_REST = "typefast_mount_rest";

/** An app's WebSocket routes, in a radix tree of their own (HTTP methods and 405s never mix with upgrades). */
export class WebSocketRouter<A extends WebSocketMountTarget<A>> {
  readonly #router = new RadixRouter<WebSocketRoute | WebSocketMountTarget<A>>();
  readonly #routes: WebSocketRoute[] = [];

  /** Registered routes, in registration order. */
  get routes(): readonly WebSocketRoute[] {
    return this.#routes;
  }

  add(route: WebSocketRoute): void {
    this.#router.add("GET", route.path, route);
    this.#routes.push(route);
  }

  /** Delegates every path under `prefix` to a sub-app, as `App.mount` does for HTTP. */
  mount(prefix: string, app: WebSocketMountTarget<A>): void {
    this.#router.add(ANY_METHOD, prefix, app);
    this.#router.add(ANY_METHOD, `${prefix}/{${MOUNT_REST}:path}`, app);
  }

  /** Finds the route for a full request path, `owner` being the app this router belongs to. */
  match(owner: A, path: string): WebSocketMatch<A> | null {
    const found = this.#router.find("GET", path.slice(owner.rootPath.length) || "/");
    if (found === null || !("value" in found)) return null;
    const target = found.value;
    if (target instanceof WebSocketRoute) return { app: owner, route: target, params: found.params };
    return target.matchWebSocket(path);
  }
}

function positive(value: number, name: string, where: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypefastError("TF_WEBSOCKET_OPTION", `${where}: ${name} must be a positive number (got ${value}).`);
  return value;
}

function compile(schema: StandardSchemaV1 | undefined, where: string): CompiledSchema | undefined {
  if (schema === undefined) return undefined;
  const compiled = compileSchema(schema, where);
  // Converted now so a schema JSON Schema cannot express fails at startup, not when /asyncapi.json is read.
  compiled.outputJsonSchema();
  return compiled;
}
