/**
 * Compiled response writers: for one model and one set of serialization options, a function generated once that
 * reads a handler's value by field names, validates each field (skipping the schema call when a fast acceptance
 * test passes), and writes the JSON text directly — aliases and option checks baked in, no intermediate object.
 * It does exactly what `dumpModel` + `stringifyJson` do (the tests compare the two); it exists because writing
 * the string directly is what makes list responses as fast as fast-json-stringify (see bench/serialize-models.ts).
 *
 * Generated code only ever embeds field names as JSON string literals; everything else is passed in by reference.
 */
import type { StandardIssue, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { fastCheck, type Test } from "./fast-check.ts";
import { jsonable, stringifyJson } from "./jsonable.ts";
import { keyIssues, origins, prefixIssue, type DumpContext, type DumpOptions, type Writer } from "./kind.ts";
import type { ModelDef } from "./model-def.ts";
import { has, isPlain } from "./parse.ts";
import { asyncField, equal } from "./serialize.ts";


// Strings without quotes, backslashes, control characters or surrogates are written as they are.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A string as a JSON string literal: the same text as `JSON.stringify(s)`, faster for short clean strings. */
export function quote(s: string): string {
  const n = s.length;
  if (n < 48) {
    // A character scan beats a regular expression on short strings (the usual names, codes and ids).
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
    }
    return '"' + s + '"';
  }
  return n < 5000 && !NEEDS_ESCAPE.test(s) ? '"' + s + '"' : JSON.stringify(s);
}

/** One JSON value's text (`undefined` for what JSON leaves out), with the choices of `stringifyJson`. */
export function writeValue(v: unknown): string | undefined {
  switch (typeof v) {
    case "string":
      return quote(v);
    case "number":
      return Number.isFinite(v) ? "" + v : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object":
      return v === null ? "null" : stringifyJson(v);
    default:
      return undefined;
  }
}

const helpers = {
  w: writeValue,
  q: quote,
  j: jsonable,
  eq: equal,
  notObject(ctx: DumpContext, path: readonly (string | number)[]): undefined {
    ctx.issues.push({ code: "invalid_type", expected: "object", message: "Expected an object", path: [...path] } as StandardIssue);
    return undefined;
  },
  issues(ctx: DumpContext, issues: readonly StandardIssue[], path: readonly (string | number)[], name: string): void {
    for (const issue of issues) ctx.issues.push(prefixIssue(issue, path.concat(name)));
  },
  async(name: string): never {
    throw asyncField(name);
  },
  key: keyIssues,
  setOf: (o: object): ReadonlySet<string> | undefined => origins.get(o)?.fieldsSet,
  has: (o: Record<string, unknown>, name: string, alias: string): boolean => {
    const plain = isPlain(o);
    return has(o, name, plain) || has(o, alias, plain);
  },
  extras(o: Record<string, unknown>, m: ModelDef, options: DumpOptions, top: boolean): string {
    if (!isPlain(o)) return "";
    let s = "";
    for (const key of Object.keys(o)) {
      if (m.index.has(key) || m.accepts.has(key) || (top && ((options.include !== undefined && !options.include.has(key)) || options.exclude?.has(key)))) continue;
      const x = writeValue(o[key]);
      if (x !== undefined && !(options.excludeNone && o[key] === null)) s += `,${quote(key)}:${x}`;
    }
    return s;
  },
};

/** Compiles model `m`'s writer for `options`; `undefined` where code cannot be generated (a CSP forbids it). */
export function compileWriter(m: ModelDef, options: DumpOptions, top: boolean, slow: Writer): Writer | undefined {
  const lit = JSON.stringify;
  const byAlias = options.byAlias ?? m.serializeByAlias;
  const shown = (name: string): boolean => !top || ((options.include === undefined || options.include.has(name)) && !options.exclude?.has(name));
  const tests: Array<Test | undefined> = [];
  const schemas: Array<StandardSchemaV1["~standard"]> = [];
  const serials: Writer[] = [];
  const defaults: unknown[] = [];
  const getters: Array<(value: unknown) => unknown> = [];
  const computedTests: Array<Test | undefined> = [];
  const code: string[] = [
    `if (typeof o !== "object" || o === null || Array.isArray(o)) return H.notObject(ctx, path);`,
    `const n0 = ctx.issues.length; let r;`,
  ];
  if (options.excludeUnset) code.push(`const set = H.setOf(o);`);
  m.fields.forEach((f, i) => {
    const v = `v${i}`;
    code.push(`let ${v} = o[${lit(f.name)}];`);
    if (f.alias !== f.name) code.push(`if (${v} === undefined) ${v} = o[${lit(f.alias)}];`);
    const present = f.partial ? `${v} !== undefined` : "";
    if (f.serial !== undefined) {
      serials[i] = f.serial.writer(options, false);
      const call = `S[${i}](${v}, ctx, path)`;
      code.push(`const n${i} = ctx.issues.length, w${i} = ${present ? `${present} ? ${call} : undefined` : call};`);
      code.push(`if (ctx.issues.length > n${i}) H.key(ctx, n${i}, path.length, ${lit(f.name)});`);
      return;
    }
    schemas[i] = f.schema["~standard"];
    tests[i] = fastCheck(f.schema);
    // t<i>: the fast test passed, so the value is known and written by the test's own expression.
    const test = tests[i];
    if (test?.text !== undefined) code.push(`const t${i} = C[${i}](${v});`);
    const failed = test === undefined ? "" : test.text !== undefined ? `!t${i}` : `!C[${i}](${v})`;
    const conditions = [present, failed].filter((c) => c !== "").join(" && ") || "true";
    code.push(
      `if (${conditions}) { r = X[${i}].validate(${v}); if (r instanceof Promise) H.async(${lit(f.name)});`,
      `  if (r.issues !== undefined) H.issues(ctx, r.issues, path, ${lit(f.name)}); else ${v} = r.value; }`,
    );
  });
  code.push(`if (ctx.issues.length > n0) return undefined;`);
  if (m.computed.length > 0) code.push(`const valid = { ${m.fields.map((f, i) => `${lit(f.name)}: v${i}`).join(", ")} };`);
  // Every written member: its text (`x<n>`, or `w<i>` for a nested model), its key, and when it may be left out.
  // The object is then one concatenation expression, which V8 builds far faster than repeated `+=`.
  interface Part { readonly text: string; readonly name: string; readonly when: string | undefined; readonly always: boolean }
  const parts: Part[] = [];
  m.fields.forEach((f, i) => {
    if (f.exclude || !shown(f.name)) return;
    const fast = tests[i]?.text?.replaceAll("$", `v${i}`);
    const text = f.serial !== undefined ? `w${i}` : `x${i}`;
    if (f.serial === undefined) code.push(`const x${i} = ${fast === undefined ? `H.w(v${i})` : `t${i} ? ${fast} : H.w(v${i})`};`);
    const when: string[] = [];
    if (options.excludeUnset) when.push(`(set !== undefined ? set.has(${lit(f.name)}) : H.has(o, ${lit(f.name)}, ${lit(f.alias)}))`);
    if (options.excludeNone) when.push(f.serial !== undefined ? `${text} !== "null"` : `v${i} !== null`);
    if (options.excludeDefaults && f.absent.ok) {
      defaults[i] = jsonable(f.absent.value);
      when.push(f.serial !== undefined ? `!H.eq(JSON.parse(${text}), D[${i}])` : `!H.eq(H.j(v${i}), D[${i}])`);
    }
    // Required and defaulted fields always have a value; optional and partial ones may not.
    const always = !f.partial && !(f.absent.ok && f.absent.value === undefined) && when.length === 0;
    parts.push({ text, name: byAlias ? f.alias : f.name, when: always ? undefined : [`${text} !== undefined`, ...when].join(" && "), always });
  });
  m.computed.forEach((c, j) => {
    if (!shown(c.name)) return;
    getters[j] = c.get;
    computedTests[j] = fastCheck(c.schema);
    const fast = computedTests[j]?.text?.replaceAll("$", `y${j}`);
    code.push(`const y${j} = G[${j}](valid), c${j} = ${fast === undefined ? `H.w(y${j})` : `CC[${j}](y${j}) ? ${fast} : H.w(y${j})`};`);
    const always = !options.excludeNone;
    parts.push({ text: `c${j}`, name: byAlias ? c.alias : c.name, when: always ? undefined : `c${j} !== undefined && y${j} !== null`, always });
  });
  // A member assumed present whose text is missing after all (a transform returning undefined): the general writer.
  const assumed = parts.filter((p) => p.always).map((p) => `${p.text} === undefined`);
  if (assumed.length > 0) code.push(`if (${assumed.join(" || ")}) return H.slow(o, ctx, path);`);
  const extras = m.extra === "allow" ? ` + H.extras(o, M, O, ${top})` : "";
  const first = parts.findIndex((p) => p.always);
  const member = (p: Part, comma: "before" | "after"): string => {
    const body = comma === "before" ? `${lit(`,${lit(p.name)}:`)} + ${p.text}` : `${lit(`${lit(p.name)}:`)} + ${p.text} + ","`;
    return p.always ? body : `(${p.when} ? ${body} : "")`;
  };
  if (first < 0) {
    code.push(`return "{" + (""${parts.map((p) => ` + ${member(p, "before")}`).join("")}${extras}).slice(1) + "}";`);
  } else {
    const before = parts.slice(0, first).map((p) => ` + ${member(p, "after")}`).join("");
    const after = parts.slice(first + 1).map((p) => ` + ${member(p, "before")}`).join("");
    code.push(`return "{"${before} + ${lit(`${lit(parts[first]!.name)}:`)} + ${parts[first]!.text}${after}${extras} + "}";`);
  }
  try {
    const factory = new Function("H", "C", "X", "S", "D", "G", "CC", "M", "O", `"use strict";\nreturn function write(o, ctx, path) {\n${code.join("\n")}\n};`);
    return factory({ ...helpers, slow }, tests, schemas, serials, defaults, getters, computedTests, m, options) as Writer;
  } catch {
    return undefined;
  }
}
