/**
 * `components.schemas`: every named schema met while documenting the routes, hoisted out of the JSON Schemas that
 * the schema library produced (`$defs`), deduplicated, and referenced with `#/components/schemas/…`.
 *
 * The registry works in one pass over the routes: `use()` returns the schema with placeholder `$ref` objects, and
 * `finish()` decides every name once all uses are known and fills the placeholders in. Names follow FastAPI:
 * - a schema used only as input or only as output is published under its id (`Item`);
 * - a schema used both ways whose input and output differ (defaults, transforms, or a nested schema that differs)
 *   becomes `Item-Input` and `Item-Output`;
 * - two different schemas with the same id keep the id for the first met (routes in registration order, within a
 *   route: parameters, body, responses) and `Item_2`, `Item_3`… for the others, with a warning.
 */
import type { Logger } from "../logger.ts";
import type { CompiledSchema } from "../schema/compile.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import { deepMerge } from "./json.ts";

/** Which JSON Schema of a schema: what it accepts (input) or what it produces (output). */
export type SchemaMode = "input" | "output";

const OTHER: Record<SchemaMode, SchemaMode> = { input: "output", output: "input" };
const LOCAL_REF = "#/$defs/";

/** One definition met under an id in one mode; equal definitions (same JSON) are one variant. */
interface Variant {
  readonly id: string;
  readonly mode: SchemaMode;
  /** The definition's JSON text, or a unique token for schemas Typefast built. */
  readonly canon: string;
  /** The definition as converted, for comparisons. */
  readonly raw: JsonSchema;
  /** The definition to publish, with placeholder refs. */
  body: JsonSchema;
  /** The placeholders inside `body`. */
  readonly refs: Ref[];
  /** Where it was first met: converting it the other way pairs input and output definitions of one schema. */
  readonly source: { compiled: CompiledSchema; options: UseOptions } | undefined;
  /** Creation order, which follows route registration order. */
  readonly order: number;
}

/** One published schema: its input and/or output definitions. */
interface Entity {
  readonly input?: Variant;
  readonly output?: Variant;
  readonly order: number;
}

/** A placeholder `{ "$ref": … }` object, filled in by `finish()`. */
interface Ref {
  readonly node: { $ref: string };
  readonly variant: Variant;
}

/** How {@link SchemaRegistry.use} treats the top level of a schema. */
export interface UseOptions {
  /** Component name for an unnamed object (`Body_<operationId>`) or for a recursive unnamed schema. */
  name?: string;
  /** Publish an unnamed object under `name` instead of inlining it. */
  nameObjects?: boolean;
  /** Return a named schema's own definition instead of a `$ref` (to expand a model into parameters). */
  unwrap?: boolean;
}

/** Collects the schemas of one document and publishes them as `components.schemas`. */
export class SchemaRegistry {
  /** Variants by id, then by mode and JSON text; ids in the order first met. */
  readonly #variants = new Map<string, Map<string, Variant>>();
  /** Refs placed directly in operations, by their node: the roots of reachability. */
  readonly #rootRefs = new Map<object, Ref>();
  #created = 0;

  /** The schema's JSON Schema for `mode`, ready to embed: no `$schema`, named parts as `$ref`s to components. */
  use(compiled: CompiledSchema, mode: SchemaMode, options: UseOptions = {}): JsonSchema {
    const own = split(convert(compiled, mode), options);
    const local = new Map<string, Variant>();
    const fresh: Variant[] = [];
    for (const name of Object.keys(own.defs)) {
      const def = own.defs[name];
      const canon = canonOf(def);
      let byKey = this.#variants.get(name);
      if (!byKey) this.#variants.set(name, (byKey = new Map()));
      let variant = byKey.get(mode + canon);
      if (!variant) {
        variant = { id: name, mode, canon, raw: def, body: {}, refs: [], source: { compiled, options }, order: this.#created++ };
        byKey.set(mode + canon, variant);
        fresh.push(variant);
      }
      local.set(name, variant);
    }
    for (const v of fresh) v.body = this.#clone(v.raw, local, v.refs) as JsonSchema;
    let root = own.root;
    if (options.unwrap && typeof root.$ref === "string" && root.$ref.startsWith(LOCAL_REF)) {
      root = own.defs[root.$ref.slice(LOCAL_REF.length)] ?? root;
    }
    const refs: Ref[] = [];
    const out = this.#clone(root, local, refs) as JsonSchema;
    for (const ref of refs) this.#rootRefs.set(ref.node, ref);
    return out;
  }

  /**
   * Merges `extra` into `target` in place, as `deepMerge` (`json.ts`) does — nested objects merge key by key,
   * arrays are appended, anything else replaces — for JSON that holds schemas from {@link use} (a schema, a
   * Response Object). It keeps the placeholders right: an object of `target` that takes its `$ref` from a
   * placeholder of `extra` becomes a placeholder of the same schema (no longer of the one it pointed to), and one
   * that takes a plain `$ref` stops being a placeholder. A plain deep merge would copy the placeholder's
   * `#/$defs/…` text, which `finish()` never fills in. `extra` itself must not be used afterwards.
   */
  merge<T extends Record<string, unknown>>(target: T, extra: Readonly<Record<string, unknown>>): T {
    deepMerge(target, extra, (into, from) => {
      if (typeof from.$ref !== "string") return;
      const ref = this.#rootRefs.get(from);
      this.#rootRefs.delete(into);
      if (ref === undefined) return;
      this.#rootRefs.delete(from);
      this.#rootRefs.set(into, { node: into as { $ref: string }, variant: ref.variant });
    });
    return target;
  }

  /** Publishes a schema Typefast built (an embedded-body or form object) under `name`; returns a `$ref` to it. */
  named(name: string, body: JsonSchema, mode: SchemaMode): JsonSchema {
    const order = this.#created++;
    const variant: Variant = { id: name, mode, canon: `built:${order}`, raw: body, body, refs: [], source: undefined, order };
    let byKey = this.#variants.get(name);
    if (!byKey) this.#variants.set(name, (byKey = new Map()));
    byKey.set(variant.canon, variant);
    // Placeholders inside `body` came from use() and are root refs already.
    const node = { $ref: "" };
    this.#rootRefs.set(node, { node, variant });
    return node;
  }

  /** Decides every component name, fills in the `$ref`s, and returns `components.schemas` sorted by name. */
  finish(logger?: Logger): Record<string, JsonSchema> {
    const used = reachable([...this.#rootRefs.values()]);
    const entityOf = new Map<Variant, Entity>();
    const groups = new Map<string, Entity[]>();
    for (const [id, byKey] of this.#variants) {
      const variants = [...byKey.values()].filter((v) => used.has(v));
      if (variants.length === 0) continue;
      const key = sanitizeName(id);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      for (const entity of pair(variants)) {
        group.push(entity);
        if (entity.input) entityOf.set(entity.input, entity);
        if (entity.output) entityOf.set(entity.output, entity);
      }
    }
    const names = assignNames(groups, logger);
    const splitSet = splitEntities(entityOf);
    const nameOf = (v: Variant): string => {
      const entity = entityOf.get(v)!;
      return splitSet.has(entity) ? `${names.get(entity)}-${v.mode === "input" ? "Input" : "Output"}` : names.get(entity)!;
    };
    for (const v of used) for (const ref of v.refs) ref.node.$ref = `#/components/schemas/${nameOf(ref.variant)}`;
    for (const ref of this.#rootRefs.values()) ref.node.$ref = `#/components/schemas/${nameOf(ref.variant)}`;
    const out: Record<string, JsonSchema> = {};
    for (const entity of new Set(entityOf.values())) {
      if (splitSet.has(entity)) {
        out[nameOf(entity.input!)] = entity.input!.body;
        out[nameOf(entity.output!)] = entity.output!.body;
      } else {
        const v = (entity.input ?? entity.output)!;
        out[nameOf(v)] = v.body;
      }
    }
    const sorted: Record<string, JsonSchema> = {};
    for (const key of Object.keys(out).sort()) sorted[key] = out[key];
    return sorted;
  }

  #clone(node: unknown, local: Map<string, Variant>, refs: Ref[]): unknown {
    if (Array.isArray(node)) return node.map((v) => this.#clone(v, local, refs));
    if (typeof node !== "object" || node === null) return node;
    const src = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(src)) {
      if (key === "$schema" || key === "$defs") continue;
      out[key] = this.#clone(src[key], local, refs);
    }
    if (typeof src.$ref === "string" && src.$ref.startsWith(LOCAL_REF)) {
      const variant = local.get(src.$ref.slice(LOCAL_REF.length));
      if (variant) refs.push({ node: out as { $ref: string }, variant });
    }
    // Zod bounds every `z.int()` to the safe integers; that is what an integer means in JavaScript, and
    // `minimum: -9007199254740991` on every id only clutters the docs.
    if (out.type === "integer") {
      if (out.minimum === -Number.MAX_SAFE_INTEGER) delete out.minimum;
      if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    }
    return out;
  }
}

/**
 * Groups the variants of one id into schemas. The usual case — at most one input and one output definition — is
 * one schema, checked (when they differ) by converting the input's source the other way; several definitions in
 * one mode mean several schemas share the id, paired the same way.
 */
function pair(variants: readonly Variant[]): Entity[] {
  const inputs = variants.filter((v) => v.mode === "input");
  const outputs = variants.filter((v) => v.mode === "output");
  const entity = (input?: Variant, output?: Variant): Entity => ({ input, output, order: Math.min(input?.order ?? Infinity, output?.order ?? Infinity) });
  if (inputs.length <= 1 && outputs.length <= 1) {
    const [i, o] = [inputs[0], outputs[0]];
    if (i === undefined || o === undefined) return [entity(i, o)];
    if (i.source === undefined || o.source === undefined) return [entity(i), entity(undefined, o)];
    const c = looseOf(i) === looseOf(o) ? o.canon : (counterpart(i) ?? o.canon);
    return c === o.canon ? [entity(i, o)] : [entity(i), entity(undefined, o)];
  }
  const free = new Set(outputs);
  const out: Entity[] = [];
  for (const i of inputs) {
    const c = counterpart(i);
    const o = c === undefined ? undefined : [...free].find((v) => v.canon === c);
    if (o) free.delete(o);
    out.push(entity(i, o));
  }
  for (const o of free) out.push(entity(undefined, o));
  return out;
}

/** The JSON text of the definition with the same id when the variant's source is converted the other way. */
function counterpart(v: Variant): string | undefined {
  if (v.source === undefined) return undefined;
  const other = tryConvert(v.source.compiled, OTHER[v.mode]);
  if (other === undefined) return undefined;
  const def = split(other, v.source.options).defs[v.id];
  return def === undefined ? undefined : canonOf(def);
}

/** The first schema of an id keeps it; the others (in order first met) get `_2`, `_3`… and a warning. */
function assignNames(groups: Map<string, Entity[]>, logger: Logger | undefined): Map<Entity, string> {
  const names = new Map<Entity, string>();
  const taken = new Set(groups.keys());
  for (const [id, group] of groups) {
    group.sort((a, b) => a.order - b.order);
    names.set(group[0], id);
    for (let i = 1, n = 2; i < group.length; i++) {
      while (taken.has(`${id}_${n}`)) n++;
      const name = `${id}_${n}`;
      taken.add(name);
      names.set(group[i], name);
      logger?.warn(`OpenAPI: two different schemas share the id "${id}"; the later one is documented as "${name}". Give them distinct ids with .meta({ id }).`);
    }
  }
  return names;
}

function convert(compiled: CompiledSchema, mode: SchemaMode): JsonSchema {
  return mode === "input" ? compiled.inputJsonSchema() : compiled.outputJsonSchema();
}

// The counterpart is only used to pair input and output definitions; a schema with a transform has no output.
function tryConvert(compiled: CompiledSchema, mode: SchemaMode): JsonSchema | undefined {
  try {
    return convert(compiled, mode);
  } catch {
    return undefined;
  }
}

/** Separates the root from its `$defs`, naming the root when asked (objects) or needed (self-recursive). */
function split(raw: JsonSchema, options: UseOptions): { root: JsonSchema; defs: Record<string, JsonSchema> } {
  const defs = { ...((raw.$defs ?? {}) as Record<string, JsonSchema>) };
  const { $defs: _defs, $schema: _schema, ...root } = raw;
  const name = options.name;
  if (name === undefined || root.$ref !== undefined) return { root, defs };
  const recursive = hasSelfRef(root);
  const object = options.nameObjects === true && (root.type === "object" || root.properties !== undefined);
  if (!recursive && !object) return { root, defs };
  const body = recursive ? (retarget(root, `${LOCAL_REF}${name}`) as JsonSchema) : root;
  if (object && body.title === undefined) defs[name] = { title: name, ...body };
  else defs[name] = body;
  return { root: { $ref: `${LOCAL_REF}${name}` }, defs };
}

function hasSelfRef(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasSelfRef);
  if (typeof node !== "object" || node === null) return false;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && value === "#") return true;
    if (key !== "$defs" && hasSelfRef(value)) return true;
  }
  return false;
}

function retarget(node: unknown, target: string): unknown {
  if (Array.isArray(node)) return node.map((v) => retarget(v, target));
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "$ref" && value === "#" ? target : retarget(value, target);
  return out;
}

/** Every variant reachable from the operations. */
function reachable(roots: readonly Ref[]): Set<Variant> {
  const used = new Set<Variant>();
  const queue = roots.map((r) => r.variant);
  while (queue.length > 0) {
    const v = queue.pop()!;
    if (used.has(v)) continue;
    used.add(v);
    for (const ref of v.refs) queue.push(ref.variant);
  }
  return used;
}

/** Schemas published as `-Input`/`-Output`: used both ways, and different themselves or through a child. */
function splitEntities(entityOf: Map<Variant, Entity>): Set<Entity> {
  const both = [...new Set(entityOf.values())].filter((e) => e.input !== undefined && e.output !== undefined);
  const out = new Set(both.filter((e) => looseOf(e.input!) !== looseOf(e.output!)));
  let changed = true;
  while (changed) {
    changed = false;
    for (const e of both) {
      if (out.has(e)) continue;
      if ([...e.input!.refs, ...e.output!.refs].some((r) => out.has(entityOf.get(r.variant)!))) {
        out.add(e);
        changed = true;
      }
    }
  }
  return out;
}

const canons = new WeakMap<object, string>();

/** JSON text of a converted definition; conversions are cached per schema, so this is too. */
function canonOf(def: JsonSchema): string {
  let text = canons.get(def);
  if (text === undefined) canons.set(def, (text = JSON.stringify(def)));
  return text;
}

// Zod marks every object `additionalProperties: false` in output mode (extra keys are stripped there). That alone
// is not a difference worth two schemas: FastAPI's models document the same fields both ways.
function looseOf(v: Variant): string {
  return JSON.stringify(v.raw, (key, value) => (key === "additionalProperties" && value === false ? undefined : value));
}

/** Component names must match `^[a-zA-Z0-9.\-_]+$` (OpenAPI 3.1 §4.8.7.1). */
export function sanitizeName(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9._-]/g, "_");
  return clean === "" ? "Schema" : clean;
}
