/**
 * The phantom type slot shared by every parameter marker (`Path`, `Query`, `Depends`…): it carries the type the
 * handler receives, at the type level only — nothing is stored at runtime.
 */
/** A marker whose resolved value has type `T` (the `~value` slot is type-only and never set). */
export interface Marker<T> {
  readonly "~value"?: T;
}

/**
 * The value type a marker resolves to. Inferred from a *required* `~value` first: inferring `T` from the optional
 * `"~value"?: T` drops `undefined` from `T`, so `Query(z.string().optional())` would type as `string`. `Param` and
 * `Dependency` declare the slot required (type-only, nothing is stored); other markers fall back to the optional one.
 */
export type ValueOf<M> = M extends { readonly "~value": infer T } ? T : M extends Marker<infer T> ? T : never;

/** A route's or dependency's declared inputs: a name → marker map. */
export type ParamsSpec = Record<string, Marker<unknown>>;

/** The argument object a handler or dependency receives for `P`. */
export type InferParams<P> = { [K in keyof P]: ValueOf<P[K]> };

/** Brand checked at runtime to tell parameter markers from dependency markers. */
export const PARAM_BRAND: unique symbol = Symbol.for("typefast.param");
export const DEPENDS_BRAND: unique symbol = Symbol.for("typefast.depends");
export const SCOPES_BRAND: unique symbol = Symbol.for("typefast.scopes");
