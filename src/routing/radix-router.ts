/**
 * The request router: maps (method, decoded path) to a registered value plus its path parameters.
 *
 * Structure (why it is fast):
 * - Fully static templates also go into a `Map<path, MethodTable>`, so the common static hit is one hash lookup.
 * - Every template is inserted into a compressed radix tree over characters. A node owns a static `prefix`
 *   (already matched when the node is entered), static children keyed by their first char code, at most one
 *   `{param}` child (one non-empty segment, found with `indexOf("/")`) and at most one `{x:path}` catch-all child.
 *   Lookup compares prefixes in place, char by char: no `split`, no regex, no substrings until a route is found.
 *   Children are tried static > param > catch-all, backtracking when a branch dead-ends or has no route for the
 *   method, so `/users/me/x`, `/users/{id}/x` and `/users/{id}/y` all resolve.
 * - Param offsets go into a per-router `Int32Array` scratch (lookups are synchronous, so sharing it is safe) and
 *   are only sliced into strings for the route that wins.
 * - A 405's `allowed` list needs every route matching the path, so it is computed by a second, collecting walk
 *   that only runs when the fast walk saw the path match but not the method; a plain 404 costs one walk.
 */
import { nullObject } from "../null-object.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { parsePathTemplate } from "./path-template.ts";

/** A successful lookup: the registered value and the path parameters (a null-prototype object). */
export interface RouteMatch<T> {
  value: T;
  params: Record<string, string>;
}

/** A match; `{ allowed }` when the path matches but the method does not (sorted, upper-case); `null` for no path. */
export type FindResult<T> = RouteMatch<T> | { allowed: string[] } | null;

/**
 * Method name for routes that accept any method (e.g. mounted sub-apps). On the same path an exact method (and
 * HEAD → GET) wins over it; a more specific path still wins over a less specific one, whatever the methods.
 */
export const ANY_METHOD = "*";

/** RFC 9110 `token`: what a method name may contain. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface RouteEntry<T> {
  readonly value: T;
  readonly method: string;
  readonly template: string;
  /** Names in template order; the walk records offsets in the same order. */
  readonly paramNames: readonly string[];
}

type MethodTable<T> = Map<string, RouteEntry<T>>;

class Node<T> {
  prefix: string;
  firstCode: number;
  children: Node<T>[] = [];
  paramChild: Node<T> | null = null;
  catchAllChild: Node<T> | null = null;
  table: MethodTable<T> | null = null;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.firstCode = prefix.length > 0 ? prefix.charCodeAt(0) : -1;
  }
}

/** Exact method, then HEAD → GET, then the any-method route. */
function resolveMethod<T>(table: MethodTable<T>, method: string): RouteEntry<T> | undefined {
  return table.get(method) ?? (method === "HEAD" ? table.get("GET") : undefined) ?? table.get(ANY_METHOD);
}

/**
 * A radix-tree router. Register with {@link RadixRouter.add}; look up with {@link RadixRouter.find}.
 * Trailing slashes are significant: `/items` and `/items/` are different routes.
 */
export class RadixRouter<T> {
  private readonly root = new Node<T>("");
  private readonly staticRoutes = new Map<string, MethodTable<T>>();
  /** Param offsets (start, end pairs) for the walk in progress; grown in `add`, never per request. */
  private scratch = new Int32Array(8);
  /** Set by the fast walk when some route matched the path but not the method, so a 404 skips the second walk. */
  private sawPath = false;

  /**
   * Register `value` for `method` (case-insensitive, stored upper-case; {@link ANY_METHOD} for any method) and a
   * FastAPI path template.
   *
   * @throws TypefastError `TF_ROUTE_PATH` for a malformed template, `TF_ROUTE_METHOD` for a malformed method,
   *   `TF_ROUTE_DUPLICATE` when the same method is already registered for a template of the same shape.
   */
  add(method: string, template: string, value: T): void {
    if (typeof method !== "string" || !METHOD_TOKEN.test(method)) {
      throw new TypefastError(
        "TF_ROUTE_METHOD",
        `Invalid HTTP method ${JSON.stringify(method)} for route ${JSON.stringify(template)}: use a method name ` +
          `such as "GET" or "POST", or "${ANY_METHOD}" for any method.`,
      );
    }
    const upper = method.toUpperCase();
    const parsed = parsePathTemplate(template);

    // Walk/extend the tree: static text (including the "/" separators) goes into radix edges, params into the
    // anonymous param/catch-all children, so `/a/{x}` and `/a/{y}` end at the same node (same shape).
    let node = this.root;
    let text = "";
    const segments = parsed.segments;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      text += "/";
      if (segment.kind === "static") {
        text += segment.value;
        continue;
      }
      node = insertStatic(node, text);
      text = "";
      if (segment.kind === "param") node = node.paramChild ??= new Node<T>("");
      else node = node.catchAllChild ??= new Node<T>("");
    }
    node = insertStatic(node, text);

    const table = (node.table ??= new Map());
    const existing = table.get(upper);
    if (existing !== undefined) {
      throw new TypefastError(
        "TF_ROUTE_DUPLICATE",
        `Duplicate route: ${upper} ${JSON.stringify(template)} matches exactly the same paths as the already ` +
          `registered ${existing.method} ${JSON.stringify(existing.template)}. Remove one of them, or change one ` +
          `path so they differ.`,
      );
    }
    const paramNames = parsed.paramNames;
    table.set(upper, { value, method: upper, template, paramNames });
    if (paramNames.length === 0) this.staticRoutes.set(template, table);
    if (this.scratch.length < paramNames.length * 2) this.scratch = new Int32Array(paramNames.length * 2);
  }

  /**
   * Look up a request. `method` is compared exactly (HTTP methods are case-sensitive; Node delivers them
   * upper-case). `path` must already be percent-decoded and have no query string.
   */
  find(method: string, path: string): FindResult<T> {
    const table = this.staticRoutes.get(path);
    if (table !== undefined) {
      const entry = resolveMethod(table, method);
      if (entry !== undefined) return { value: entry.value, params: nullObject<string>() };
      // Otherwise a dynamic route may still accept this method (GET /users/me vs DELETE /users/{id}): walk.
    }
    this.sawPath = false;
    const entry = this.walk(this.root, method, path, 0, 0, null);
    if (entry !== null) {
      // A fast-mode object without a prototype chain to inherit from (see NullObject): even a `{__proto__}`
      // parameter is an own property.
      const params = nullObject<string>();
      const names = entry.paramNames;
      const scratch = this.scratch;
      for (let i = 0; i < names.length; i++) params[names[i]!] = path.slice(scratch[2 * i]!, scratch[2 * i + 1]);
      return { value: entry.value, params };
    }
    if (!this.sawPath) return null;
    // Slow path (405 only): collect the methods of every route whose path matches.
    const methods = new Set<string>();
    this.walk(this.root, method, path, 0, 0, methods);
    if (methods.size === 0) return null;
    if (methods.has("GET")) methods.add("HEAD");
    return { allowed: [...methods].sort() };
  }

  /**
   * Depth-first match from `node`, whose prefix ends at `pos`; `depth` = params captured so far. Returns the
   * first route (by priority) accepting `method`, or — when `collect` is given — records every matching route's
   * methods there and returns null so the whole tree is explored.
   */
  private walk(
    node: Node<T>,
    method: string,
    path: string,
    pos: number,
    depth: number,
    collect: Set<string> | null,
  ): RouteEntry<T> | null {
    const len = path.length;
    const scratch = this.scratch;
    // Loop instead of recursing wherever there is nothing to backtrack to (no param/catch-all sibling), so long
    // static runs and single-param chains cost no stack frames; recurse only at real branch points.
    descend: for (;;) {
      if (pos === len) {
        const table = node.table;
        if (table !== null) {
          if (collect === null) {
            const entry = resolveMethod(table, method);
            if (entry !== undefined) return entry;
            this.sawPath = true;
          } else {
            for (const m of table.keys()) collect.add(m);
          }
        }
        break;
      }
      const param = node.paramChild;
      const catchAll = node.catchAllChild;
      const code = path.charCodeAt(pos);
      const children = node.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (child.firstCode !== code) continue;
        // Siblings have distinct first chars, so at most one static child can match here.
        if (matchesAt(path, pos, child.prefix)) {
          if (param === null && catchAll === null) {
            node = child;
            pos += child.prefix.length;
            continue descend;
          }
          const found = this.walk(child, method, path, pos + child.prefix.length, depth, collect);
          if (found !== null) return found;
        }
        break;
      }
      if (param === null) break;
      let end = path.indexOf("/", pos);
      if (end === -1) end = len;
      // A param never matches an empty segment (`/items/` is not `/items/{id}`).
      if (end === pos) break;
      scratch[2 * depth] = pos;
      scratch[2 * depth + 1] = end;
      if (catchAll === null) {
        node = param;
        pos = end;
        depth++;
        continue;
      }
      const found = this.walk(param, method, path, end, depth + 1, collect);
      if (found !== null) return found;
      break;
    }
    // Last resort at this node: the catch-all takes the rest, possibly empty (Starlette's `{x:path}` is `.*`).
    const catchAll = node.catchAllChild;
    if (catchAll !== null && catchAll.table !== null) {
      if (collect === null) {
        const entry = resolveMethod(catchAll.table, method);
        if (entry !== undefined) {
          scratch[2 * depth] = pos;
          scratch[2 * depth + 1] = len;
          return entry;
        }
        this.sawPath = true;
      } else {
        for (const m of catchAll.table.keys()) collect.add(m);
      }
    }
    return null;
  }
}

/** Descend from `node` along static `text`, splitting edges on partial prefix overlap; returns the end node. */
function insertStatic<T>(node: Node<T>, text: string): Node<T> {
  let rest = text;
  while (rest.length > 0) {
    const code = rest.charCodeAt(0);
    const index = node.children.findIndex((child) => child.firstCode === code);
    if (index === -1) {
      const leaf = new Node<T>(rest);
      node.children.push(leaf);
      return leaf;
    }
    let child = node.children[index];
    let common = 1;
    const max = Math.min(child.prefix.length, rest.length);
    while (common < max && child.prefix.charCodeAt(common) === rest.charCodeAt(common)) common++;
    if (common < child.prefix.length) {
      // Split `child` into the shared part and its remainder so both paths can hang off the shared node.
      const shared = new Node<T>(child.prefix.slice(0, common));
      child.prefix = child.prefix.slice(common);
      child.firstCode = child.prefix.charCodeAt(0);
      shared.children.push(child);
      node.children[index] = shared;
      child = shared;
    }
    node = child;
    rest = rest.slice(common);
  }
  return node;
}

/** `path.startsWith(prefix, pos)` as an inlinable loop; index 0 was already compared via `firstCode`. */
function matchesAt(path: string, pos: number, prefix: string): boolean {
  const n = prefix.length;
  if (pos + n > path.length) return false;
  for (let k = 1; k < n; k++) if (path.charCodeAt(pos + k) !== prefix.charCodeAt(k)) return false;
  return true;
}
