/**
 * Parsing of FastAPI-style path templates (`/items/{item_id}`, `/files/{file_path:path}`).
 *
 * Parsing happens once, when a route is registered, so this module favours clear error messages over speed:
 * every misconfiguration throws a {@link TypefastError} (`TF_ROUTE_PATH`) that says what to write instead.
 */
import { TypefastError } from "../errors/typefast-error.ts";

/** One `/`-separated piece of a template. */
export type PathSegment =
  /** Literal text that must appear verbatim (may be empty, e.g. the trailing segment of `/items/`). */
  | { kind: "static"; value: string }
  /** `{name}`: one whole, non-empty segment. */
  | { kind: "param"; name: string }
  /** `{name:path}`: the rest of the path, slashes included; may be empty (Starlette's `.*`). Last segment only. */
  | { kind: "path"; name: string };

/** A parsed template: the original text, its segments in order, and the parameter names in order. */
export interface PathTemplate {
  template: string;
  segments: PathSegment[];
  paramNames: string[];
}

/** Same rule as Starlette's `{name}` pattern, so any template valid there is valid here. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(template: string, message: string): never {
  throw new TypefastError("TF_ROUTE_PATH", `Invalid route path ${JSON.stringify(template)}: ${message}`);
}

/**
 * Parse a FastAPI path template into segments.
 *
 * Supported syntax: static segments, `{name}` for one whole segment and `{name:path}` (last segment only) for the
 * remainder of the path. Parameter types are not part of the template: they come from the parameter's schema.
 *
 * @throws TypefastError `TF_ROUTE_PATH` when the template is malformed; the message names the fix.
 */
export function parsePathTemplate(template: string): PathTemplate {
  if (typeof template !== "string" || !template.startsWith("/")) {
    const text = typeof template === "string" ? template : String(template);
    fail(text, `a route path must start with "/"; write ${JSON.stringify("/" + text)} instead.`);
  }
  const queryAt = template.search(/[?#]/);
  if (queryAt !== -1) {
    fail(
      template,
      `it contains "${template[queryAt]}" at position ${queryAt}; a route path cannot include a query string or ` +
        `fragment. Remove it and declare query parameters on the handler instead.`,
    );
  }
  checkBraces(template);

  const rawSegments = template.slice(1).split("/");
  const segments: PathSegment[] = [];
  const paramNames: string[] = [];
  for (let i = 0; i < rawSegments.length; i++) {
    const raw = rawSegments[i];
    if (!raw.includes("{")) {
      segments.push({ kind: "static", value: raw });
      continue;
    }
    // checkBraces guarantees balanced, un-nested pairs; exactly one pair must span the whole segment.
    if (raw.lastIndexOf("{") !== 0 || raw.indexOf("}") !== raw.length - 1) {
      fail(
        template,
        `the parameter in segment ${JSON.stringify(raw)} must be the whole segment (e.g. "/items/{id}"). ` +
          `Move the surrounding text into its own static segment, or capture the whole segment and parse it in the handler.`,
      );
    }
    const inner = raw.slice(1, -1);
    const colon = inner.indexOf(":");
    const name = colon === -1 ? inner : inner.slice(0, colon);
    if (!IDENTIFIER.test(name)) {
      fail(
        template,
        name === ""
          ? `segment ${JSON.stringify(raw)} has an empty parameter name; write a name such as "{item_id}".`
          : `parameter name ${JSON.stringify(name)} is not a valid identifier; use letters, digits and "_", ` +
              `not starting with a digit (e.g. "{item_id}").`,
      );
    }
    let kind: "param" | "path" = "param";
    if (colon !== -1) {
      const converter = inner.slice(colon + 1);
      if (converter !== "path") {
        fail(
          template,
          `unknown converter ${JSON.stringify(converter)} in ${JSON.stringify(raw)}; only ":path" is supported. ` +
            `Write "{${name}}" and declare the type (e.g. an integer) on the parameter's schema instead.`,
        );
      }
      if (i !== rawSegments.length - 1) {
        fail(
          template,
          `the ":path" parameter ${JSON.stringify(raw)} must be in the last segment because it captures the rest of ` +
            `the path; move it to the end or use "{${name}}" to capture a single segment.`,
        );
      }
      kind = "path";
    }
    if (paramNames.includes(name)) {
      fail(template, `parameter ${JSON.stringify(name)} appears more than once; give each parameter a unique name.`);
    }
    paramNames.push(name);
    segments.push({ kind, name });
  }
  return { template, segments, paramNames };
}

/** Braces must pair up within a segment: no nesting, no stray `}` and no `/` between `{` and `}`. */
function checkBraces(template: string): void {
  let open = -1;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "{") {
      if (open !== -1) {
        fail(template, `"{" at position ${i} is nested inside the "{" at position ${open}; close the first parameter with "}" first.`);
      }
      open = i;
    } else if (ch === "}") {
      if (open === -1) fail(template, `"}" at position ${i} has no matching "{"; remove it or add the opening "{".`);
      open = -1;
    } else if (ch === "/" && open !== -1) {
      fail(template, `"{" at position ${open} is not closed before the next "/"; add "}" to end the parameter name.`);
    }
  }
  if (open !== -1) fail(template, `"{" at position ${open} is never closed; add "}" after the parameter name.`);
}
