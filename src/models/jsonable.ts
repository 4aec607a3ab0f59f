/**
 * Turning what a handler returns into JSON, with deliberate choices for the values `JSON.stringify` gets wrong
 * (FastAPI's `jsonable_encoder`):
 *
 * | value                              | JSON                                                        |
 * | ---------------------------------- | ----------------------------------------------------------- |
 * | `Date`                             | ISO 8601 string (`toISOString`); an invalid date is `null`  |
 * | `bigint`                           | an integer with every digit (`12345678901234567890`)        |
 * | `Uint8Array`, `Buffer`, `ArrayBuffer` | base64 string                                            |
 * | other typed arrays                 | array of numbers                                            |
 * | `Map`                              | object (string, number, bigint or boolean keys, as strings) |
 * | `Set`                              | array                                                       |
 * | object with `toJSON()` (Decimal…)  | what `toJSON()` returns, converted in turn                  |
 * | a value parsed by a `model()`      | that model's serialized form (aliases, computed fields)     |
 * | class instance                     | its own enumerable properties (as `JSON.stringify`)         |
 * | `NaN`, `±Infinity`                 | `null`                                                      |
 * | `undefined`, functions, symbols    | left out of objects, `null` in arrays                       |
 *
 * A cyclic value is a `TypeError` (the app answers a logged 500), found before any recursion runs away.
 */
import { isPlainPrototype } from "../null-object.ts";
import { issuePath } from "../schema/compile.ts";
import { dumpContext, origins, originsState, setOwn } from "./kind.ts";

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 1000;

// Trees already made JSON-ready by a model's response writer: stringified without another walk.
const ready = new WeakSet<object>();

/** JSON text already written by a compiled response writer: {@link stringifyJson} sends it as it is. */
export class RawJson {
  constructor(readonly json: string) {}

  /** The data again, for code that serializes it some other way. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** Marks a tree built by a response writer as JSON-ready. */
export function markReady<T>(value: T): T {
  if (typeof value === "object" && value !== null) ready.add(value);
  return value;
}

/**
 * Converts `value` to plain JSON data (see the table above). Objects that need no change are returned as they are,
 * so the common case allocates nothing.
 *
 * @example
 * jsonable({ at: new Date(0), tags: new Set(["a"]), big: 2n ** 64n })
 * // → { at: Date (written as "1970-01-01T00:00:00.000Z"), tags: ["a"], big: 18446744073709551616n }
 */
export function jsonable(value: unknown): unknown {
  return typeof value === "object" && value !== null ? walk(value, [], 0) : value;
}

/**
 * Serializes a response body: {@link jsonable}, then `JSON.stringify`, with `bigint`s written as exact integers.
 * `undefined` becomes `null`.
 *
 * @example
 * stringifyJson({ id: 2n ** 64n, at: new Date(0) }) // '{"id":18446744073709551616,"at":"1970-01-01T00:00:00.000Z"}'
 */
export function stringifyJson(value: unknown): string {
  let data = value;
  if (typeof value === "object" && value !== null) {
    if (value instanceof RawJson) return value.json;
    if (!isFlatPlain(value) && !ready.has(value)) data = walk(value, [], 0);
  }
  try {
    return JSON.stringify(data) ?? "null";
  } catch (error) {
    // `JSON.stringify` refuses bigints; only then take the slower writer that knows them.
    if (error instanceof TypeError && /BigInt/i.test(error.message)) return write(data);
    throw error;
  }
}

/**
 * True for the most common response, a plain object of primitives (`{ item_id: 42, q: "abc" }`), which
 * `JSON.stringify` already writes the way `walk` would: no walk needed. (Plain prototypes enumerate no inherited
 * keys, so `for…in` sees own keys only, without the array `Object.keys` would allocate.)
 */
function isFlatPlain(v: object): boolean {
  if (!isPlainPrototype(Object.getPrototypeOf(v)) || (originsState.used && origins.has(v))) return false;
  const o = v as Record<string, unknown>;
  for (const key in o) {
    const x = o[key];
    if (typeof x === "object" ? x !== null : typeof x === "bigint") return false;
  }
  return true;
}

function walk(v: object, stack: object[], depth: number): unknown {
  for (let i = 0; i < depth; i++) {
    if (stack[i] === v) throw new TypeError(`Cannot serialize the response: it contains a cyclic reference (an object inside itself, ${depth} levels down).`);
  }
  if (depth >= MAX_DEPTH) throw new TypeError(`Cannot serialize the response: it is nested more than ${MAX_DEPTH} levels deep.`);
  stack[depth] = v;
  if (Array.isArray(v)) return walkArray(v, stack, depth);
  // A value a model parsed (a plain object) is written by that model: aliases, computed fields.
  const origin = origins.get(v);
  if (origin !== undefined) {
    const ctx = dumpContext();
    const out = origin.serial.dump(v, ctx, [], false);
    const issue = ctx.issues[0];
    if (issue !== undefined) throw new TypeError(`Cannot serialize the response: a value parsed by a model no longer matches it (${issuePath(issue).join(".")}: ${issue.message}).`);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (isPlainPrototype(proto)) return walkObject(v as Record<string, unknown>, stack, depth);
  if (v instanceof Date) return v;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Uint8Array || v instanceof DataView) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
    return walkArray(Array.from(v as unknown as ArrayLike<unknown>), stack, depth);
  }
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString("base64");
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of v) setOwn(out, mapKey(key), child(item, stack, depth));
    return out;
  }
  if (v instanceof Set) return walkArray([...v], stack, depth);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const result: unknown = toJSON.call(v);
    return typeof result === "object" && result !== null ? walk(result, stack, depth + 1) : result;
  }
  return walkObject(v as Record<string, unknown>, stack, depth);
}

// JSON keys are strings: Map keys that are not string-like have no deliberate JSON form.
function mapKey(key: unknown): string {
  const t = typeof key;
  if (t === "string" || t === "number" || t === "bigint" || t === "boolean") return String(key);
  throw new TypeError(`Cannot serialize the response: a Map key must be a string, number, bigint or boolean (got ${key === null ? "null" : t}).`);
}

function child(x: unknown, stack: object[], depth: number): unknown {
  return typeof x === "object" && x !== null ? walk(x, stack, depth + 1) : x;
}

// Copy-on-write: a copy is made only once a child actually changes.
function walkArray(v: unknown[], stack: object[], depth: number): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "object" || x === null) continue;
    const y = walk(x, stack, depth + 1);
    if (y !== x) (out ??= v.slice())[i] = y;
  }
  return out ?? v;
}

function walkObject(v: Record<string, unknown>, stack: object[], depth: number): unknown {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x !== "object" || x === null) continue;
    const y = walk(x, stack, depth + 1);
    if (y !== x) setOwn((out ??= { ...v }), key, y);
  }
  return out ?? v;
}

// The JSON writer used when the data holds bigints; the data has been through `walk`, so it has no cycles.
function write(v: unknown): string {
  switch (typeof v) {
    case "bigint":
      return v.toString();
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined || typeof x === "function" || typeof x === "symbol" ? "null" : write(x))).join(",")}]`;
      if (typeof (v as { toJSON?: unknown }).toJSON === "function") return write((v as { toJSON(): unknown }).toJSON());
      const parts: string[] = [];
      for (const key of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
        parts.push(`${JSON.stringify(key)}:${write(x)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      return JSON.stringify(v) ?? "null";
  }
}
