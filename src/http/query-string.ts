import { nullObject } from "../null-object.ts";
import { HTTPException } from "../errors/http-exception.ts";

/** Parsed query string: name → value, or values when the key repeats. A null-prototype object: no `__proto__` key can reach a prototype. */
export type QueryValues = Record<string, string | string[]>;

/** Most query parameters one request may carry (qs and Fastify use the same bound). */
export const MAX_QUERY_PARAMS = 1000;

/**
 * Parses `a=1&b=2&a=3` (`+` is a space, percent-escapes decoded). Invalid percent-encoding is refused with a 400
 * rather than silently kept, so a client bug does not turn into a confusing validation error later.
 */
export function parseQueryString(raw: string, limit = MAX_QUERY_PARAMS): QueryValues {
  const out: QueryValues = nullObject();
  if (raw.length === 0) return out;
  let count = 0;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf("&", start);
    if (end === -1) end = raw.length;
    if (end > start) {
      if (++count > limit) throw new HTTPException(400, `Too many query parameters: the limit is ${limit}`);
      const eq = raw.indexOf("=", start);
      const hasValue = eq !== -1 && eq < end;
      const key = decode(raw.slice(start, hasValue ? eq : end));
      const value = hasValue ? decode(raw.slice(eq + 1, end)) : "";
      const prev = out[key];
      if (prev === undefined) out[key] = value;
      else if (typeof prev === "string") out[key] = [prev, value];
      else prev.push(value);
    }
    start = end + 1;
  }
  return out;
}

function decode(s: string): string {
  if (s.indexOf("+") !== -1) s = s.replace(/\+/g, " ");
  if (s.indexOf("%") === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HTTPException(400, `Invalid percent-encoding in query string: '${s.slice(0, 100)}'`);
  }
}
