import { issuePath } from "../schema/compile.ts";
import { isPlainPrototype } from "../null-object.ts";
import type { StandardIssue } from "../schema/standard-schema.ts";
import type { ErrorDetail } from "./validation-error.ts";

type Loc = (string | number)[];

/**
 * Translates Standard Schema issues into FastAPI/pydantic error details, so clients written against FastAPI read
 * Typefast's 422s unchanged. Zod's issue codes are mapped to pydantic's `type` names where one exists; other
 * libraries' issues (message and path only) become `value_error`s with their own message.
 *
 * @param prefix the location of the validated value: `["body"]`, `["query", "limit"]`…
 * @param input the value that was validated, used to report each issue's offending `input`.
 */
export function issuesToDetails(issues: readonly StandardIssue[], prefix: Loc, input: unknown, missingInput: unknown = null): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const std of issues) {
    // Libraries add their own fields (Zod: code, expected, minimum…); read them loosely.
    const issue = std as Issue;
    const path = issuePath(issue);
    const loc = prefix.concat(path);
    const value = valueAt(input, path);
    if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys)) {
      for (const key of issue.keys as string[]) {
        out.push({ type: "extra_forbidden", loc: loc.concat(key), msg: "Extra inputs are not permitted", input: valueAt(value, [key]) });
      }
      continue;
    }
    if (value === undefined && issue.code === "invalid_type") {
      const parent = path.length === 0 ? missingInput : valueAt(input, path.slice(0, -1));
      out.push({ type: "missing", loc, msg: "Field required", input: parent ?? null });
      continue;
    }
    out.push({ ...describe(issue, value), loc, input: value === undefined ? null : value });
  }
  return out;
}

type Described = Pick<ErrorDetail, "type" | "msg" | "ctx">;
type Issue = StandardIssue & Record<string, unknown>;

const TYPE_NAMES: Record<string, Described> = {
  string: { type: "string_type", msg: "Input should be a valid string" },
  number: { type: "float_type", msg: "Input should be a valid number" },
  int: { type: "int_type", msg: "Input should be a valid integer" },
  bigint: { type: "int_type", msg: "Input should be a valid integer" },
  boolean: { type: "bool_type", msg: "Input should be a valid boolean" },
  object: { type: "model_attributes_type", msg: "Input should be a valid dictionary or object to extract fields from" },
  record: { type: "dict_type", msg: "Input should be a valid dictionary" },
  map: { type: "dict_type", msg: "Input should be a valid dictionary" },
  array: { type: "list_type", msg: "Input should be a valid list" },
  set: { type: "set_type", msg: "Input should be a valid set" },
  tuple: { type: "tuple_type", msg: "Input should be a valid tuple" },
  date: { type: "datetime_type", msg: "Input should be a valid datetime" },
  null: { type: "none_required", msg: "Input should be None" },
};

const FORMATS: Record<string, Described> = {
  url: { type: "url_parsing", msg: "Input should be a valid URL" },
  uuid: { type: "uuid_parsing", msg: "Input should be a valid UUID" },
  datetime: { type: "datetime_parsing", msg: "Input should be a valid datetime" },
  date: { type: "date_parsing", msg: "Input should be a valid date" },
  time: { type: "time_parsing", msg: "Input should be a valid time" },
};

function describe(issue: Issue, value: unknown): Described {
  const num = (k: string) => issue[k] as number;
  switch (issue.code) {
    case "invalid_type": {
      const expected = String(issue.expected);
      if (expected === "int" && typeof value === "number") {
        return { type: "int_from_float", msg: "Input should be a valid integer, got a number with a fractional part" };
      }
      return TYPE_NAMES[expected] ?? { type: `${expected}_type`, msg: issue.message };
    }
    case "too_small":
    case "too_big":
      return sizeIssue(issue, value, num(issue.code === "too_small" ? "minimum" : "maximum"));
    case "invalid_format": {
      const format = String(issue.format);
      if (format === "regex") {
        return { type: "string_pattern_mismatch", msg: `String should match pattern '${issue.pattern}'`, ctx: { pattern: String(issue.pattern) } };
      }
      if (format === "email") return { type: "value_error", msg: `value is not a valid email address: ${issue.message}`, ctx: { reason: issue.message } };
      return FORMATS[format] ?? { type: "value_error", msg: `Value error, ${issue.message}`, ctx: { error: issue.message } };
    }
    case "not_multiple_of":
      return { type: "multiple_of", msg: `Input should be a multiple of ${issue.divisor}`, ctx: { multiple_of: issue.divisor } };
    case "invalid_value": {
      const values = (issue.values as unknown[]) ?? [];
      const expected = orList(values.map(literal));
      return values.length === 1
        ? { type: "literal_error", msg: `Input should be ${expected}`, ctx: { expected } }
        : { type: "enum", msg: `Input should be ${expected}`, ctx: { expected } };
    }
    case "custom":
      return { type: "value_error", msg: `Value error, ${issue.message}`, ctx: { error: issue.message } };
    default:
      return { type: typeof issue.code === "string" ? issue.code : "value_error", msg: issue.message };
  }
}

function sizeIssue(issue: Issue, value: unknown, limit: number): Described {
  const small = issue.code === "too_small";
  const inclusive = issue.inclusive !== false;
  const origin = String(issue.origin ?? typeof value);
  if (origin === "string") {
    const key = small ? "min_length" : "max_length";
    const s = limit === 1 ? "" : "s";
    return small
      ? { type: "string_too_short", msg: `String should have at least ${limit} character${s}`, ctx: { [key]: limit } }
      : { type: "string_too_long", msg: `String should have at most ${limit} character${s}`, ctx: { [key]: limit } };
  }
  if (origin === "array" || origin === "set") {
    const actual = Array.isArray(value) ? value.length : value instanceof Set ? value.size : undefined;
    const s = limit === 1 ? "" : "s";
    const kind = origin === "array" ? "List" : "Set";
    return small
      ? { type: "too_short", msg: `${kind} should have at least ${limit} item${s} after validation, not ${actual}`, ctx: { field_type: kind, min_length: limit, actual_length: actual } }
      : { type: "too_long", msg: `${kind} should have at most ${limit} item${s} after validation, not ${actual}`, ctx: { field_type: kind, max_length: limit, actual_length: actual } };
  }
  const bound = origin === "date" ? new Date(limit).toISOString() : limit;
  if (small) {
    return inclusive
      ? { type: "greater_than_equal", msg: `Input should be greater than or equal to ${bound}`, ctx: { ge: bound } }
      : { type: "greater_than", msg: `Input should be greater than ${bound}`, ctx: { gt: bound } };
  }
  return inclusive
    ? { type: "less_than_equal", msg: `Input should be less than or equal to ${bound}`, ctx: { le: bound } }
    : { type: "less_than", msg: `Input should be less than ${bound}`, ctx: { lt: bound } };
}

function literal(v: unknown): string {
  return typeof v === "string" ? `'${v}'` : String(v);
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/**
 * Walks `path` into `value`. Plain objects are read through own properties only, so a key such as `__proto__` or
 * `toString` never reaches `Object.prototype`; class instances may expose getters from their own prototypes.
 */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (cur instanceof Map) {
      cur = cur.get(key);
      continue;
    }
    const proto = Object.getPrototypeOf(cur);
    const own = Object.prototype.hasOwnProperty.call(cur, key);
    if (!own && (key === "__proto__" || isPlainPrototype(proto) || !(key in cur))) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}
