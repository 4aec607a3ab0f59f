/**
 * JSON writers compiled from a response model's output JSON Schema, for plain (non-`model()`) schemas such as a
 * `z.object`: a route validates the handler's value with the schema, then writes the validated value with a
 * function generated once at registration — property names baked in as literals, each property written by its
 * declared type — instead of walking the value for dates, maps and bigints and then calling `JSON.stringify`.
 * That walk-then-stringify costs a few hundred nanoseconds for a small object, as much as the rest of the route.
 *
 * The writer never trusts the schema blindly: every typed position checks the value's type first and falls back to
 * the general writer (`stringifyJson`'s rules) when it differs, and parts the writer does not understand (unions,
 * `additionalProperties`, tuples, anything unrepresentable) are written by the general writer too. The only
 * deliberate difference: an object whose schema closes it (`additionalProperties: false`, what `z.object` outputs)
 * is written with exactly its declared properties, in declared order — the order a validator like Zod builds its
 * output in, so the bytes are the same as `JSON.stringify` of the validated value.
 *
 * Generated code only embeds property names as JSON string literals; everything else is passed in by reference.
 */
import { isPlainPrototype } from "../null-object.ts";
import type { JsonSchema } from "../schema/standard-schema.ts";
import { origins, originsState } from "./kind.ts";
import { quote, writeValue } from "./writer.ts";

/** Writes one JSON value; `undefined` for what JSON leaves out of an object (`undefined`, functions). */
export type JsonWriter = (value: unknown) => string | undefined;

/**
 * Compiles the writer of values valid against `schema` (an output JSON Schema, `$defs` at its root). Returns
 * `undefined` when nothing would be gained (the schema is not an object or array of known shape), so the caller
 * keeps the general writer.
 *
 * @example
 * const write = compileJsonWriter({ type: "object", properties: { id: { type: "integer" } }, required: ["id"], additionalProperties: false });
 * write?.({ id: 1 }); // '{"id":1}'
 */
export function compileJsonWriter(schema: JsonSchema): JsonWriter | undefined {
  const compiler = new Compiler(schema);
  const writer = compiler.compile(schema);
  return compiler.gained ? writer : undefined;
}

type Json = Record<string, unknown>;

class Compiler {
  /** True once some object or array got a writer of its own. */
  gained = false;
  readonly #defs: Json;
  // A `$ref` is compiled once; a recursive one refers to its own writer through this table.
  readonly #refs = new Map<string, { write?: JsonWriter }>();

  constructor(root: JsonSchema) {
    const defs = (root as Json).$defs;
    this.#defs = typeof defs === "object" && defs !== null ? (defs as Json) : {};
  }

  compile(schema: unknown): JsonWriter {
    if (typeof schema !== "object" || schema === null) return writeValue;
    const s = schema as Json;
    if (typeof s.$ref === "string") return this.#ref(s.$ref);
    // Unions, intersections, conditionals: the value can be any of several shapes.
    if (s.anyOf !== undefined || s.oneOf !== undefined || s.allOf !== undefined || s.not !== undefined || s.if !== undefined) return writeValue;
    switch (s.type) {
      case "string":
        return writeString;
      case "number":
      case "integer":
        return writeNumber;
      case "boolean":
        return writeBoolean;
      case "array":
        return s.prefixItems === undefined && typeof s.items === "object" && s.items !== null ? this.#array(s.items) : writeValue;
      case "object":
        return s.additionalProperties === false && s.patternProperties === undefined ? this.#object(s) : writeValue;
      default:
        return writeValue;
    }
  }

  #ref(ref: string): JsonWriter {
    let entry = this.#refs.get(ref);
    if (entry === undefined) {
      entry = {};
      this.#refs.set(ref, entry);
      const name = ref.startsWith("#/$defs/") ? decodeURIComponent(ref.slice(8).replaceAll("~1", "/").replaceAll("~0", "~")) : undefined;
      const target = name === undefined ? undefined : this.#defs[name];
      entry.write = target === undefined ? writeValue : this.compile(target);
    }
    const slot = entry;
    // Still being compiled (a recursive definition): look the writer up when called.
    return slot.write ?? ((v) => slot.write!(v));
  }

  #array(items: unknown): JsonWriter {
    this.gained = true;
    const item = this.compile(items);
    return (v) => {
      if (!Array.isArray(v)) return writeValue(v);
      let s = "[";
      for (let i = 0; i < v.length; i++) {
        if (i > 0) s += ",";
        s += item(v[i]) ?? "null";
      }
      return s + "]";
    };
  }

  #object(s: Json): JsonWriter {
    const properties = (typeof s.properties === "object" && s.properties !== null ? s.properties : {}) as Json;
    const names = Object.keys(properties);
    const writers = names.map((name) => this.compile(properties[name]));
    this.gained = true;
    const lit = JSON.stringify;
    const code = [`if (typeof o !== "object" || o === null || !H.plain(o)) return H.w(o);`, `let s = "", x;`];
    names.forEach((name, i) => {
      const w = writers[i];
      const read = `o[${lit(name)}]`;
      // The common types are written inline: no call for a string, number or boolean property.
      const text =
        w === writeString ? `(typeof (x = ${read}) === "string" ? H.q(x) : H.w(x))`
        : w === writeNumber ? `(typeof (x = ${read}) === "number" && Number.isFinite(x) ? "" + x : H.w(x))`
        : w === writeBoolean ? `((x = ${read}) === true ? "true" : x === false ? "false" : H.w(x))`
        : `W[${i}](${read})`;
      code.push(`if ((x = ${text}) !== undefined) s += (s === "" ? "{" : ",") + ${lit(`${lit(name)}:`)} + x;`);
    });
    code.push(`return s === "" ? "{}" : s + "}";`);
    try {
      const factory = new Function("H", "W", `"use strict";\nreturn function writeObject(o) {\n${code.join("\n")}\n};`);
      return factory(helpers, writers) as JsonWriter;
    } catch {
      // Code generation is forbidden here (a CSP or --disallow-code-generation-from-strings): stay general.
      return writeValue;
    }
  }
}

const helpers = {
  q: quote,
  w: writeValue,
  // A plain object that no model parsed: a model's value is written by the model (aliases, computed fields).
  plain: (o: object): boolean => isPlainPrototype(Object.getPrototypeOf(o)) && !(originsState.used && origins.has(o)),
};

function writeString(v: unknown): string | undefined {
  return typeof v === "string" ? quote(v) : writeValue(v);
}

function writeNumber(v: unknown): string | undefined {
  return typeof v === "number" && Number.isFinite(v) ? "" + v : writeValue(v);
}

function writeBoolean(v: unknown): string | undefined {
  return v === true ? "true" : v === false ? "false" : writeValue(v);
}
