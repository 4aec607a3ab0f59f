/**
 * Objects used as string-keyed maps on the request path (headers, query values, path params, cookies, state) must
 * not inherit anything: `headers["constructor"]` has to be `undefined`, not `Object`. `Object.create(null)` gives
 * that, but V8 makes such objects dictionary-mode ("slow") objects: each store is a hash insert and Node's
 * `writeHead` enumerates them several times slower (≈10× in a micro-benchmark; measurable per request).
 * Instances of `NullObject` inherit from a frozen, empty, null-prototype object instead: nothing is inherited,
 * and V8 keeps them in fast mode with hidden classes shared between requests.
 * @internal
 */
export const NullObject = function NullObject() {} as unknown as new <T = unknown>() => Record<string, T>;
NullObject.prototype = Object.freeze(Object.create(null));

/**
 * A new empty map object (see {@link NullObject}).
 * @internal
 */
export function nullObject<T = unknown>(): Record<string, T> {
  return new NullObject<T>();
}

/**
 * True when `proto` is the prototype of a plain object: `Object.prototype`, `null`, or {@link NullObject}'s.
 * @internal
 */
export function isPlainPrototype(proto: unknown): boolean {
  return proto === Object.prototype || proto === null || proto === NullObject.prototype;
}
