/**
 * Fast acceptance tests for common Zod schemas, used by compiled response writers to skip calling the schema for
 * values that obviously pass. A test is only ever a *sufficient* condition: when it returns `true`, the schema
 * would accept the value and return it unchanged; when it returns `false`, the schema itself runs (and reports its
 * own issues). Anything not recognised exactly — formats, regexes, refinements, transforms, `coerce`, other
 * libraries — gets no test, so it is always validated by its own schema.
 */

export type Test = ((value: unknown) => boolean) & {
  /**
   * A JavaScript expression writing a value that passed the test as JSON text, with `$` for the value and `H.q`
   * for string quoting; `undefined` when the value may need the general writer.
   */
  readonly text?: string;
};

const withText = (test: (value: unknown) => boolean, text: string | undefined): Test => Object.assign(test, { text });

interface ZodLike {
  readonly _zod?: { readonly def?: Def; readonly values?: ReadonlySet<unknown> };
}

interface Def {
  readonly type: string;
  readonly coerce?: boolean;
  readonly format?: string;
  readonly check?: string;
  readonly checks?: ReadonlyArray<{ readonly _zod?: { readonly def?: CheckDef } }>;
  readonly innerType?: unknown;
}

interface CheckDef {
  readonly check: string;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly format?: string;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** A sufficient acceptance test for `schema`, or `undefined` when there is none. */
export function fastCheck(schema: unknown, depth = 0): Test | undefined {
  const zod = (schema as ZodLike)?._zod;
  const def = zod?.def;
  if (def === undefined || depth > 4) return undefined;
  const checks = (def.checks ?? []).map((c) => c._zod?.def);
  if (checks.some((c) => c === undefined)) return undefined;
  const plainChecks = checks as CheckDef[];
  switch (def.type) {
    case "string":
      if (def.coerce || def.format !== undefined || def.check !== undefined) return undefined;
      return stringTest(plainChecks);
    case "number":
      if (def.coerce) return undefined;
      return numberTest(def, plainChecks);
    case "boolean":
      return !def.coerce && checks.length === 0 ? withText((v) => typeof v === "boolean", `($ ? "true" : "false")`) : undefined;
    case "null":
      return checks.length === 0 ? withText((v) => v === null, `"null"`) : undefined;
    case "enum":
    case "literal": {
      const values = zod!.values;
      return values !== undefined && checks.length === 0 ? withText((v) => values.has(v), undefined) : undefined;
    }
    case "nullable":
    case "optional": {
      const inner = checks.length === 0 ? fastCheck(def.innerType, depth + 1) : undefined;
      if (inner === undefined) return undefined;
      const text = inner.text === undefined ? undefined : `($ === ${def.type === "nullable" ? "null ? \"null\"" : "undefined ? undefined"} : ${inner.text})`;
      return def.type === "nullable" ? withText((v) => v === null || inner(v), text) : withText((v) => v === undefined || inner(v), text);
    }
    default:
      return undefined;
  }
}

function stringTest(checks: CheckDef[]): Test | undefined {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === "min_length" && typeof c.minimum === "number") min = Math.max(min, c.minimum);
    else if (c.check === "max_length" && typeof c.maximum === "number") max = Math.min(max, c.maximum);
    else if (c.check === "length_equals" && typeof c.length === "number") (min = Math.max(min, c.length)), (max = Math.min(max, c.length));
    else return undefined;
  }
  if (min === 0 && max === Infinity) return withText((v) => typeof v === "string", "H.q($)");
  return withText((v) => typeof v === "string" && v.length >= min && v.length <= max, "H.q($)");
}

function numberTest(def: Def, checks: CheckDef[]): Test | undefined {
  let integer = false;
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (def.check !== undefined || def.format !== undefined) {
    const range = def.check === "number_format" && def.format !== undefined ? INTEGER_RANGES[def.format] : undefined;
    if (range === undefined) return undefined;
    integer = true;
    [lo, hi] = range;
  }
  for (const c of checks) {
    if (c.check === "number_format") {
      const range = c.format === undefined ? undefined : INTEGER_RANGES[c.format];
      if (range === undefined) return undefined;
      integer = true;
      if (range[0] > lo) (lo = range[0]), (loOpen = false);
      if (range[1] < hi) (hi = range[1]), (hiOpen = false);
      continue;
    }
    if (typeof c.value !== "number") return undefined;
    if (c.check === "greater_than" && (c.value > lo || (c.value === lo && !c.inclusive))) (lo = c.value), (loOpen = c.inclusive === false);
    else if (c.check === "less_than" && (c.value < hi || (c.value === hi && !c.inclusive))) (hi = c.value), (hiOpen = c.inclusive === false);
    else if (c.check !== "greater_than" && c.check !== "less_than") return undefined;
  }
  // Every value that passes is finite, so its text is the number's own.
  return withText(
    (v) => typeof v === "number" && (integer ? Number.isInteger(v) : Number.isFinite(v)) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi),
    `("" + $)`,
  );
}
