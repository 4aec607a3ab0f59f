/**
 * The request side of a model: wire keys (aliases, and field names with `populateByName`) → an object by field
 * names, through before-hooks, every field's own schema, the `extra` policy, then after-hooks. Issues carry the key
 * the client actually used (the alias when the field is missing), so the 422's `loc` and `input` point into the body
 * as it was sent.
 */
import { isPlainPrototype } from "../null-object.ts";
import type { StandardIssue, StandardResult } from "../schema/standard-schema.ts";
import { origins, originsState, prefixIssue, setOwn } from "./kind.ts";
import type { FieldDef, ModelDef, ValidationContext } from "./model-def.ts";

type Result = StandardResult<unknown> | Promise<StandardResult<unknown>>;

/** Validates a request value with model `m`. */
export function parseModel(m: ModelDef, input: unknown): Result {
  return m.before.length === 0 ? parseFields(m, input) : runBefore(m, input, 0);
}

function runBefore(m: ModelDef, input: unknown, from: number): Result {
  let raw = input;
  for (let i = from; i < m.before.length; i++) {
    const issues: StandardIssue[] = [];
    const returned = m.before[i]!(raw, context(issues, undefined));
    if (returned instanceof Promise) {
      return returned.then((next) => (issues.length > 0 ? { issues } : runBefore(m, next === undefined ? raw : next, i + 1)));
    }
    if (issues.length > 0) return { issues };
    if (returned !== undefined) raw = returned;
  }
  return parseFields(m, raw);
}

function parseFields(m: ModelDef, input: unknown): Result {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { issues: [{ code: "invalid_type", expected: "object", message: "Expected an object", path: [] } as StandardIssue] };
  }
  const obj = input as Record<string, unknown>;
  const plain = isPlain(obj);
  const n = m.fields.length;
  const keys: (string | undefined)[] = new Array(n);
  const results: (StandardResult<unknown> | Promise<StandardResult<unknown>> | undefined)[] = new Array(n);
  let async = false;
  for (let i = 0; i < n; i++) {
    const f = m.fields[i]!;
    let key: string | undefined;
    if (has(obj, f.alias, plain)) key = f.alias;
    else if (m.populateByName && f.name !== f.alias && has(obj, f.name, plain)) key = f.name;
    keys[i] = key;
    if (key === undefined && f.partial) continue;
    const r = f.schema["~standard"].validate(key === undefined ? undefined : obj[key]);
    if (r instanceof Promise) async = true;
    results[i] = r;
  }
  const finish = (done: (StandardResult<unknown> | undefined)[]): Result => collect(m, obj, keys, done);
  return async ? Promise.all(results).then(finish) : finish(results as (StandardResult<unknown> | undefined)[]);
}

function collect(m: ModelDef, obj: Record<string, unknown>, keys: (string | undefined)[], results: (StandardResult<unknown> | undefined)[]): Result {
  const out: Record<string, unknown> = {};
  const set = new Set<string>();
  let issues: StandardIssue[] | undefined;
  for (let i = 0; i < m.fields.length; i++) {
    const r = results[i];
    if (r === undefined) continue;
    const f = m.fields[i]!;
    const key = keys[i];
    if (r.issues !== undefined) {
      issues ??= [];
      for (const issue of r.issues) issues.push(prefixIssue(issue, [key ?? f.alias]));
      continue;
    }
    if (key !== undefined) set.add(f.name);
    if (r.value !== undefined || key !== undefined) out[f.name] = r.value;
  }
  if (m.extra !== "ignore") {
    const unknown = Object.keys(obj).filter((k) => !m.accepts.has(k));
    if (m.extra === "forbid" && unknown.length > 0) {
      (issues ??= []).push({ code: "unrecognized_keys", keys: unknown, message: `Unrecognized keys: ${unknown.join(", ")}`, path: [] } as StandardIssue);
    } else if (m.extra === "allow") for (const k of unknown) setOwn(out, k, obj[k]);
  }
  if (issues !== undefined) return { issues };
  return runAfter(m, out, wireKeys(m, keys), set, 0);
}

function runAfter(m: ModelDef, value: unknown, wire: (name: string) => string, set: ReadonlySet<string>, from: number): Result {
  let current = value;
  for (let i = from; i < m.after.length; i++) {
    const issues: StandardIssue[] = [];
    const returned = m.after[i]!(current, context(issues, wire));
    if (returned instanceof Promise) {
      return returned.then((next) => (issues.length > 0 ? { issues } : runAfter(m, next === undefined ? current : next, wire, set, i + 1)));
    }
    if (issues.length > 0) return { issues };
    if (returned !== undefined) current = returned;
  }
  if (typeof current === "object" && current !== null) {
    originsState.used = true;
    origins.set(current, { serial: m.serial(), fieldsSet: set });
  }
  return { value: current };
}

/** Maps a field name in an after-hook's issue path to the key the client used (or the alias). */
function wireKeys(m: ModelDef, keys: (string | undefined)[]): (name: string) => string {
  return (name) => {
    const i = m.index.get(name);
    return i === undefined ? name : (keys[i] ?? m.fields[i]!.alias);
  };
}

function context(issues: StandardIssue[], wire: ((name: string) => string) | undefined): ValidationContext {
  return {
    addIssue({ message, path = [] }) {
      const mapped = wire !== undefined && typeof path[0] === "string" ? [wire(path[0]), ...path.slice(1)] : [...path];
      issues.push({ code: "custom", message, path: mapped } as StandardIssue);
    },
  };
}

/** Plain objects (JSON bodies, query models) are read through own keys only, never `Object.prototype`. */
export function isPlain(obj: object): boolean {
  return isPlainPrototype(Object.getPrototypeOf(obj));
}

export function has(obj: Record<string, unknown>, key: string, plain: boolean): boolean {
  return plain ? Object.prototype.hasOwnProperty.call(obj, key) : key in obj;
}

export type { FieldDef };
