/**
 * Acceptance tests for whole Zod objects and arrays, built from the per-value tests of `fast-check.ts`: when one
 * passes, validating the value with the schema would succeed and produce the same data — every field kept as it
 * is, no default to fill in, no transform — so the schema call (and the copy it makes) can be skipped. When it
 * fails, the schema runs as usual and reports its own issues, so a test only ever needs to be *sufficient*.
 *
 * Two strictnesses, because a Zod object drops keys it does not declare:
 * - `exact`: the value also has no undeclared key (a request body handed to the handler as it is must not carry
 *   fields the schema would have stripped);
 * - otherwise undeclared keys are allowed: a compiled response writer writes the declared ones only anyway.
 *
 * Anything not recognised exactly — object refinements, `catchall`/strict/loose objects, array length checks,
 * unions, other libraries — gets no test.
 */
import { isPlainPrototype } from "../null-object.ts";
import { fastCheck } from "./fast-check.ts";

type Accept = (value: unknown) => boolean;

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly catchall?: unknown;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly checks?: readonly unknown[];
}

/**
 * A sufficient test that `schema` accepts a value and returns the same data, or `undefined` when there is none.
 *
 * @example
 * const accepts = acceptsUnchanged(z.object({ name: z.string(), tags: z.array(z.string()) }), true);
 * accepts?.({ name: "a", tags: [] });       // true: validating would change nothing
 * accepts?.({ name: "a", tags: [], x: 1 }); // false: validation would drop `x`
 */
export function acceptsUnchanged(schema: unknown, exact: boolean, depth = 0): Accept | undefined {
  const def = (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
  if (def === undefined || depth > 8) return undefined;
  const checked = def.checks !== undefined && def.checks.length > 0;
  switch (def.type) {
    case "object":
      return checked || def.catchall !== undefined ? undefined : objectTest(def.shape ?? {}, exact, depth);
    case "array": {
      const item = checked ? undefined : acceptsUnchanged(def.element, exact, depth + 1);
      return item && ((v) => Array.isArray(v) && v.every(item));
    }
    case "default":
    case "prefault": {
      // A missing value would be filled in: only a present one stays as it is.
      const inner = checked ? undefined : acceptsUnchanged(def.innerType, exact, depth + 1);
      return inner && ((v) => v !== undefined && inner(v));
    }
    case "optional":
    case "nullable": {
      const inner = checked ? undefined : acceptsUnchanged(def.innerType, exact, depth + 1);
      if (inner === undefined) return undefined;
      return def.type === "optional" ? (v) => v === undefined || inner(v) : (v) => v === null || inner(v);
    }
    default:
      return fastCheck(schema);
  }
}

function objectTest(shape: Readonly<Record<string, unknown>>, exact: boolean, depth: number): Accept | undefined {
  const keys = Object.keys(shape);
  const tests: Accept[] = [];
  for (const key of keys) {
    const test = acceptsUnchanged(shape[key], exact, depth + 1);
    if (test === undefined) return undefined;
    tests.push(test);
  }
  const declared = new Set(keys);
  return (v) => {
    if (typeof v !== "object" || v === null || !isPlainPrototype(Object.getPrototypeOf(v))) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!tests[i]!(o[keys[i]!])) return false;
    if (exact) for (const key in o) if (!declared.has(key)) return false;
    return true;
  };
}
