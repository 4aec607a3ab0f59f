/**
 * The types of the typed client: they read the `~route` slot that `app.get(...)` & co. attach to the routes they
 * return (see `RouteTypes` in `routing/registrar.ts`) and turn each route into the options a request takes and the
 * data its response holds. Type-only: nothing here exists at runtime.
 */
import type { Response } from "../http/response.ts";
import type { RouteInfo, RouteTypes } from "../routing/registrar.ts";
import type { InferOutput } from "../schema/standard-schema.ts";

/** HTTP methods the client has a shorthand for. @example const m: ClientMethod = "PATCH"; */
export type ClientMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

// ---------------------------------------------------------------------------------------------------------------
// Finding the routes

type Found<V> = V extends RouteTypes<infer I> ? I : V extends readonly (infer E)[] ? (E extends RouteTypes<infer I> ? I : never) : never;
type FoundDeep<V> = V extends RouteTypes<infer I>
  ? I
  : V extends readonly (infer E)[]
    ? Found<E>
    : V extends object
      ? { [K in keyof V]-?: Found<V[K]> }[keyof V]
      : never;

/**
 * The {@link RouteInfo}s held by `T`: a route returned by `app.get(...)`, an array or tuple of them, an object or a
 * module namespace (`import type * as api from "./routes.ts"`) whose values are routes or arrays of routes, or a
 * tuple or union of those. Anything else (the `app` export of a namespace, helpers…) is skipped.
 *
 * @example type Paths = RoutesOf<typeof routes>["path"]; // "/items/{item_id}" | "/items" | …
 */
export type RoutesOf<T> = T extends RouteTypes<infer I>
  ? I
  : T extends readonly (infer E)[]
    ? FoundDeep<E>
    : T extends object
      ? { [K in keyof T]-?: FoundDeep<T[K]> }[keyof T]
      : never;

/**
 * The routes of `T` mounted under `Prefix` — for routes declared on a `Router` included with a prefix.
 *
 * @example
 * // users.ts: export const users = new Router(); export const listUsers = users.get("/", {}, () => []);
 * // app.ts:   app.includeRouter(users, { prefix: "/users" });
 * const client = createClient<[typeof api, WithPrefix<"/users", typeof usersApi>]>(url);
 */
export type WithPrefix<Prefix extends string, T> = RoutesOf<T> extends infer I
  ? I extends RouteInfo<infer M, infer P, infer Params, infer R, infer Res>
    ? RouteTypes<RouteInfo<M, `${Prefix}${P}`, Params, R, Res>>
    : never
  : never;

/** The methods a route registered for `Ms` answers: GET routes answer HEAD too. */
type Answers<Ms> = Ms | (Ms extends "GET" ? "HEAD" : never);

/**
 * The routes among `R` (a union of {@link RouteInfo}) that answer `M`, by path template. The client looks a call's
 * route up here: one table per method keeps a call's inference to a plain indexed access (much cheaper for the
 * type checker than matching `"METHOD /path"` keys).
 *
 * @example type Posts = MethodTable<RoutesOf<typeof routes>, "POST">;
 */
export type MethodTable<R extends RouteInfo, M extends string> = { [I in R as M extends Answers<I["method"]> ? I["path"] : never]: I };

/** The routes of `T` answering `M`, by path template. @example type Gets = keyof RouteTable<typeof api, "GET">; */
export type RouteTable<T, M extends ClientMethod> = MethodTable<Extract<RoutesOf<T>, RouteInfo>, M>;

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** One declared parameter as a client sees it: where it goes, the wire name and the type to send. */
interface Entry {
  readonly source: string;
  readonly name: string;
  readonly type: unknown;
}

/** `Header()` keys are sent with `_` as `-` unless `convertUnderscores: false`, as the server reads them. */
type Dashed<S extends string> = S extends `${infer A}_${infer B}` ? `${A}-${Dashed<B>}` : S;
type WireName<K extends string, Src, O> = O extends { readonly alias: infer A extends string }
  ? A
  : Src extends "header"
    ? O extends { readonly convertUnderscores: false } ? K : Dashed<K>
    : K;
/** What a client sends: the schema's input type, or the handler-side type when the schema has no input type (a model). */
type Sent<In, V> = unknown extends In ? V : In;

type EntriesOf<P> = {
  [K in keyof P & string]: P[K] extends { readonly "~request": { source: infer Src; input: infer In; options: infer O }; readonly "~value": infer V }
    ? { source: Src; name: WireName<K, Src, O>; type: Sent<In, V>; embed: O extends { readonly embed: true } ? true : false }
    : never; // a dependency: its own parameters are not visible here (see docs/client.md)
}[keyof P & string];

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Optionalize<T> = Simplify<
  { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] }
>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type IsUnion<U> = [U] extends [UnionToIntersection<U>] ? false : true;
type Plain<T> = T extends readonly unknown[] ? never : T extends Blob | Date ? never : T extends object ? T : never;

/** The fields of one source: an object schema (`Query(Filters)`) contributes its properties, as the server reads it. */
type FieldsOf<E extends Entry> = Optionalize<
  { [X in E as Plain<NonNullable<X["type"]>> extends never ? X["name"] : never]: X["type"] } &
    UnionToIntersection<E extends Entry ? Plain<NonNullable<E["type"]>> : never>
>;
type Pick_<E, S extends string> = E extends Entry & { source: S } ? E : never;

/** `{ key: T }` when some field of T is required, else `{ key?: T }`; nothing at all when there is no entry. */
type Part<Key extends string, E, T> = [E] extends [never] ? { [K in Key]?: never } : {} extends T ? { [K in Key]?: T } : { [K in Key]: T };
/** Like {@link Part}, with extra names allowed (parameters read by dependencies and security schemes are not typed). */
type OpenPart<Key extends string, E extends Entry, Extra> = [E] extends [never]
  ? { [K in Key]?: Record<string, Extra> }
  : {} extends FieldsOf<E> ? { [K in Key]?: FieldsOf<E> & Record<string, Extra> } : { [K in Key]: FieldsOf<E> & Record<string, Extra> };

/** The `{name}` and `{name:path}` names of a path template. @example PathParamNames<"/a/{id}/{rest:path}"> // "id" | "rest" */
export type PathParamNames<S extends string> = S extends `${string}{${infer N}}${infer Rest}`
  ? (N extends `${infer A}:${string}` ? A : N) | PathParamNames<Rest>
  : never;
type PathPart<Path extends string, E extends Entry> = string extends Path
  ? { path?: Record<string, string | number> }
  : [PathParamNames<Path>] extends [never]
    ? { path?: never }
    : { path: { [N in PathParamNames<Path>]: [Extract<E, { name: N }>] extends [never] ? string | number : Extract<E, { name: N }>["type"] } };

type BodyPart<E> = [E] extends [never]
  ? never
  : IsUnion<E> extends true
    ? Part<"body", E, Optionalize<{ [X in E & Entry as X["name"]]: X["type"] }>>
    : E extends { embed: true } & Entry
      ? Part<"body", E, Optionalize<{ [X in E as X["name"]]: X["type"] }>>
      : E extends Entry ? (undefined extends E["type"] ? { body?: E["type"] } : { body: E["type"] }) : never;

type FormPart<E extends Entry> = Part<"form", E, Optionalize<{ [X in E as X["name"]]: X["type"] }>>;

/**
 * The options of one request to route `I`: `path`, `query`, `headers`, `cookies`, and `body` (JSON) or `form`.
 * @example type Opts = RequestOptionsOf<(typeof readItem)["~route"]>;
 */
export type RequestOptionsOf<I> = I extends RouteInfo<string, infer Path, infer P>
  ? EntriesOf<P> extends infer E extends Entry
    ? Simplify<
        PathPart<Path, Pick_<E, "path">> &
          OpenPart<"query", Pick_<E, "query">, unknown> &
          OpenPart<"headers", Pick_<E, "header">, string> &
          // Cookies often come from a cookie jar (a browser's, a TestClient's), so none is required here.
          { cookies?: Partial<FieldsOf<Pick_<E, "cookie">>> & Record<string, string> } &
          ([Pick_<E, "form" | "file">] extends [never]
            ? [BodyPart<Pick_<E, "body">>] extends [never] ? { body?: never; form?: never } : BodyPart<Pick_<E, "body">> & { form?: never }
            : FormPart<Pick_<E, "form" | "file">> & { body?: never }) &
          CommonOptions
      >
    : never
  : never;

/** Options every request takes. @example { signal: AbortSignal.timeout(5000) } */
export interface CommonOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** The argument list after the path: the options may be left out when none is required. @example ArgsOf<Info> // [options?: {...}] */
export type ArgsOf<I> = RequestOptionsOf<I> extends infer O ? ({} extends O ? [options?: O] : [options: O]) : never;

// ---------------------------------------------------------------------------------------------------------------
// Responses

/**
 * What `JSON.stringify` (and Typefast's serializer) makes of a value: dates become strings, functions vanish.
 * @example Jsonify<{ at: Date; n?: number }> // { at: string; n?: number }
 */
export type Jsonify<T> = 0 extends 1 & T
  ? any
  : T extends void
    ? undefined
    : T extends string | number | boolean | null
    ? T
    : T extends Date
      ? string
      : T extends bigint
        ? number
        : T extends Uint8Array | ArrayBuffer
          ? string
          : T extends { toJSON(): infer J }
            ? Jsonify<J>
            : T extends ReadonlyMap<PropertyKey, infer V>
              ? Record<string, Jsonify<V>>
              : T extends ReadonlySet<infer V>
                ? Jsonify<V>[]
                : T extends readonly unknown[]
                  ? { -readonly [K in keyof T]: Jsonify<T[K]> }
                  : T extends (...args: never[]) => unknown
                    ? never
                    : T extends object
                      ? JsonObject<T>
                      : unknown;

/** An object as JSON: methods dropped, and a property that may be `undefined` may be absent (JSON leaves it out). */
type JsonObject<T> = Simplify<
  { -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : undefined extends T[K] ? never : K]: Jsonify<T[K]> } & {
    -readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : undefined extends T[K] ? K : never]?: Jsonify<Exclude<T[K], undefined>>;
  }
>;

/** What a handler's result puts in the body: `Response` objects are opaque (`unknown`). */
type ResultData<T> = [Exclude<Awaited<T>, Response>] extends [never] ? unknown : Exclude<Awaited<T>, Response>;

/**
 * The data a successful response to route `I` holds: the response model's output when the route declares one,
 * else what the handler returns — both as JSON (dates as strings).
 *
 * @example type Item = ResponseOf<(typeof readItem)["~route"]>;
 */
export type ResponseOf<I> = I extends RouteInfo<string, string, unknown, infer R, infer T>
  ? [R] extends [undefined] ? Jsonify<ResultData<T>> : Jsonify<InferOutput<R>>
  : never;

/** The request options for `METHOD path` of the routes `T`. @example type Opts = RouteRequest<typeof api, "GET", "/items/{item_id}">; */
export type RouteRequest<T, M extends ClientMethod, P extends keyof RouteTable<T, M>> = RequestOptionsOf<RouteTable<T, M>[P]>;

/** The response data of `METHOD path` of the routes `T`. @example type Item = RouteResponse<typeof api, "GET", "/items/{item_id}">; */
export type RouteResponse<T, M extends ClientMethod, P extends keyof RouteTable<T, M>> = ResponseOf<RouteTable<T, M>[P]>;
