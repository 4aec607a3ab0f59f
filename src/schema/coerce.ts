import type { ScalarKind } from "./json-type.ts";

/** A failed coercion, in FastAPI's words (`int_parsing`, `float_parsing`, `bool_parsing`). */
export interface CoercionError {
  readonly type: string;
  readonly msg: string;
}

/** Marks a coercion failure; compared by identity so the happy path allocates nothing. */
export const COERCION_FAILED: unique symbol = Symbol("typefast.coercionFailed");

const INTEGER = /^\s*[-+]?\d+\s*$/;
const TRUE = new Set(["true", "1", "yes", "on", "t", "y"]);
const FALSE = new Set(["false", "0", "no", "off", "f", "n"]);

/** The error FastAPI reports when the first declared kind cannot parse the string. */
export const COERCION_ERRORS: Readonly<Record<ScalarKind, CoercionError>> = {
  integer: { type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer" },
  number: { type: "float_parsing", msg: "Input should be a valid number, unable to parse string as a number" },
  boolean: { type: "bool_parsing", msg: "Input should be a valid boolean, unable to interpret input" },
  null: { type: "none_required", msg: "Input should be None" },
  string: { type: "string_type", msg: "Input should be a valid string" },
};

/**
 * Coerces one raw string (from a path, query, header, cookie or form field) to the first kind that parses it, in
 * the order given (most specific first). Returns {@link COERCION_FAILED} when no kind accepts it; the caller then
 * reports {@link COERCION_ERRORS} for `kinds[0]`. With no kinds (an untyped schema) the string passes unchanged.
 */
export function coerceString(raw: string, kinds: readonly ScalarKind[]): unknown {
  if (kinds.length === 0) return raw;
  for (let i = 0; i < kinds.length; i++) {
    switch (kinds[i]) {
      case "string":
        return raw;
      case "integer":
        if (INTEGER.test(raw)) {
          const n = Number(raw);
          if (Number.isSafeInteger(n)) return n;
        }
        break;
      case "number": {
        if (raw.trim() === "") break;
        const n = Number(raw);
        if (Number.isFinite(n)) return n;
        break;
      }
      case "boolean": {
        const lower = raw.toLowerCase();
        if (TRUE.has(lower)) return true;
        if (FALSE.has(lower)) return false;
        break;
      }
      case "null":
        if (raw === "" || raw === "null") return null;
        break;
    }
  }
  return COERCION_FAILED;
}
