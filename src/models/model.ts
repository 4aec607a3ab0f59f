import type { InferInput, InferOutput, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { ModelSchema } from "./base.ts";
import type { Field } from "./field.ts";
import { origins, SERIAL, type DumpOptions, type Serial, type Writer } from "./kind.ts";
import { buildDef, NO_EXTRAS, type AfterHook, type BeforeHook, type ComputedField, type Extras, type ModelConfig, type ModelDef } from "./model-def.ts";
import { parseModel } from "./parse.ts";
import { dumpModel, modelJsonSchema } from "./serialize.ts";
import { markReady, stringifyJson } from "./jsonable.ts";
import { compileWriter } from "./writer.ts";

/** A model's fields: a schema each, or `field(schema, options)`. */
export type Shape = { readonly [name: string]: StandardSchemaV1 | Field };

type SchemaOf<F> = F extends Field<infer S> ? S : F;
type Returns<S> = S extends { readonly "~returns": infer R } ? R : InferInput<S>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** Keys whose type admits `undefined` become optional, as in Zod's object types. */
type Optionalize<T> = Simplify<
  { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] }
>;

/** The value a model produces (what a handler receives), by field name. */
export type ModelOutput<S extends Shape> = Optionalize<{ -readonly [K in keyof S]: InferOutput<SchemaOf<S[K]>> }>;
/** What a handler may return for a model used as a response model, by field name (defaults may be left out). */
export type ModelReturns<S extends Shape> = Optionalize<{ -readonly [K in keyof S]: Returns<SchemaOf<S[K]>> }>;

/**
 * A model: fields with optional aliases, model-level validation hooks and computed fields, on top of any
 * Standard Schema library (Zod 4 by default). Created by {@link model}; every builder method returns a new model.
 *
 * @example
 * const User = model({ name: z.string(), password: z.string() }, { id: "User" });
 * const UserOut = User.omit(["password"], { id: "UserOut" });
 */
export class Model<S extends Shape = Shape, Out = ModelOutput<S>, Ret = ModelReturns<S>> extends ModelSchema<Out, Ret> {
  readonly [SERIAL]: Serial;
  readonly #def: ModelDef;

  constructor(
    readonly shape: S,
    readonly config: Readonly<ModelConfig> = {},
    readonly extras: Extras = NO_EXTRAS,
  ) {
    super((value) => parseModel(this.#def, value) as never);
    // One writer per (options, top-level or not), compiled on first use.
    const writers = new WeakMap<DumpOptions, [Writer | undefined, Writer | undefined]>();
    this[SERIAL] = {
      absent: { ok: false, value: undefined },
      dump: (value, ctx, path, top) => dumpModel(this.#def, value, ctx, path, top),
      writer: (options, top) => {
        let pair = writers.get(options);
        if (pair === undefined) writers.set(options, (pair = [undefined, undefined]));
        const slot = top ? 1 : 0;
        if (pair[slot] === undefined) {
          const slow = this.#fallbackWriter(top);
          pair[slot] = compileWriter(this.#def, options, top, slow) ?? slow;
        }
        return pair[slot];
      },
      jsonSchema: (io, options) => modelJsonSchema(this.#def, io, options),
    };
    this.#def = buildDef(shape, config, extras, () => this[SERIAL]);
  }

  // Without generated code (a CSP forbids it): the object writer, then JSON.
  #fallbackWriter(top: boolean): Writer {
    return (value, ctx, path) => {
      const before = ctx.issues.length;
      const out = dumpModel(this.#def, value, ctx, path, top);
      return ctx.issues.length > before ? undefined : stringifyJson(markReady(out));
    };
  }

  /**
   * Adds a hook run on the raw input before the fields are read (pydantic's `model_validator(mode="before")`). It
   * returns the input to use (`undefined`: unchanged) and reports problems with `ctx.addIssue`.
   * @example Item.before((raw) => (typeof raw === "string" ? JSON.parse(raw) : raw))
   */
  before(hook: BeforeHook): Model<S, Out, Ret> {
    return this.#with({ before: [...this.extras.before, hook] });
  }

  /**
   * Adds a hook run on the validated value, only when every field is valid (pydantic's
   * `model_validator(mode="after")`). It may return a replacement value; problems go to `ctx.addIssue` — at the
   * model (`loc: ["body"]`) or at a field (`path: ["password"]`). Hooks run in order; the first to report stops.
   * @example User.after((u, ctx) => { if (u.password !== u.confirm_password) ctx.addIssue({ message: "passwords do not match" }) })
   */
  after(hook: AfterHook<Out>): Model<S, Out, Ret> {
    return this.#with({ after: [...this.extras.after, hook as AfterHook] });
  }

  /**
   * A cross-field check: `check` returns `false` (or a promise of it) to fail with `message`, at the model or at
   * `path`. Reported as a `value_error`, like a pydantic validator raising `ValueError`.
   * @example User.refine((u) => u.password === u.confirm_password, "password and confirm_password must match")
   */
  refine(check: (value: Out) => boolean | Promise<boolean>, message: string | { message: string; path?: readonly (string | number)[] }): Model<S, Out, Ret> {
    const issue = typeof message === "string" ? { message } : message;
    return this.after((value, ctx) => {
      const ok = check(value);
      if (ok instanceof Promise) return ok.then((passed) => void (passed || ctx.addIssue(issue)));
      if (!ok) ctx.addIssue(issue);
    });
  }

  /**
   * Adds computed fields: derived from the validated value, written in every response (with the model's aliases),
   * `readOnly` in the output JSON Schema and absent from the input one (pydantic's `@computed_field`).
   * @example Product.computed({ on_sale: { schema: z.boolean(), get: (p) => p.discount_percent > 0 } })
   */
  computed<C extends Record<string, StandardSchemaV1>>(fields: { [K in keyof C]: ComputedField<Out, C[K]> & { get: (value: Out) => InferInput<C[K]> } }): Model<S, Out, Ret> {
    return this.#with({ computed: { ...this.extras.computed, ...(fields as Record<string, ComputedField>) } });
  }

  /**
   * A model with more fields (or replaced ones); hooks and computed fields are kept. Pass `config` to change the
   * configuration — the id is not inherited, since the shape differs.
   * @example const UserInDB = UserIn.extend({ hashed_password: z.string() }, { id: "UserInDB" })
   */
  extend<S2 extends Shape>(shape: S2, config?: ModelConfig): Model<Simplify<Omit<S, keyof S2> & S2>> {
    return new Model({ ...this.shape, ...shape } as never, this.#derived(config), this.extras);
  }

  /**
   * A model of only some fields. Hooks and computed fields are dropped: they may read the others.
   * @example const ItemSummary = Item.pick(["name", "price"], { id: "ItemSummary" })
   */
  pick<K extends keyof S & string>(keys: readonly K[], config?: ModelConfig): Model<Pick<S, K>> {
    const shape: Record<string, StandardSchemaV1 | Field> = {};
    for (const key of keys) shape[key] = this.shape[key]!;
    return new Model(shape as Pick<S, K>, this.#derived(config), { ...NO_EXTRAS, partial: this.extras.partial }) as never;
  }

  /**
   * A model without some fields. Hooks and computed fields are dropped: they may read those fields.
   * @example const UserOut = UserIn.omit(["password"], { id: "UserOut" })
   */
  omit<K extends keyof S & string>(keys: readonly K[], config?: ModelConfig): Model<Omit<S, K>> {
    const shape: Record<string, StandardSchemaV1 | Field> = { ...this.shape };
    for (const key of keys) delete shape[key];
    return new Model(shape as Omit<S, K>, this.#derived(config), { ...NO_EXTRAS, partial: this.extras.partial }) as never;
  }

  /**
   * Every field optional and without its default: a request then carries only what the client sent — the PATCH
   * pattern. Hooks and computed fields are dropped.
   * @example app.patch("/items/{id}", { params: { id: Path(), patch: Body(Item.partial()) } }, ({ id, patch }) => ({ ...items[id], ...patch }))
   */
  partial(config?: ModelConfig): Model<S, Partial<Out>, Partial<Ret>> {
    return new Model(this.shape, this.#derived(config), { ...NO_EXTRAS, partial: true }) as never;
  }

  #with(change: Partial<Extras>): Model<S, Out, Ret> {
    return new Model<S, Out, Ret>(this.shape, this.config, { ...this.extras, ...change });
  }

  #derived(config: ModelConfig | undefined): ModelConfig {
    const { id: _id, title: _title, ...rest } = this.config;
    return { ...rest, ...config };
  }
}

/**
 * Declares a model — FastAPI's pydantic `BaseModel` on top of Zod 4 (or any Standard Schema library): per-field
 * aliases and an alias generator, `populateByName`, an `extra` policy, before/after hooks, computed fields, and
 * responses written by alias. A model is a Standard Schema, so `Body(Model)`, `Query(Model)`, `Header(Model)` and
 * `response: Model` work as with a Zod object.
 *
 * @example
 * const OrderItem = model(
 *   { product_id: z.int(), unit_price: z.number(), quantity: z.int(), discount_code: z.string().nullable().default(null) },
 *   { id: "OrderItem", aliasGenerator: toCamel, populateByName: true },
 * );
 * app.post("/orders/items", { params: { item: Body(OrderItem) }, response: OrderItem }, ({ item }) => item);
 * // POST {"productId": 1, "unitPrice": 9.99, "quantity": 2} → {"productId":1,"unitPrice":9.99,"quantity":2,"discountCode":null}
 */
export function model<S extends Shape>(shape: S, config: ModelConfig = {}): Model<S> {
  return new Model(shape, config);
}

/**
 * The names of the fields the client actually sent, for a value parsed by a model (pydantic's
 * `model_fields_set`); `undefined` for any other value. Defaults filled in are not in it.
 *
 * @example
 * app.patch("/items/{id}", { params: { id: Path(), item: Body(Item) } }, ({ id, item }) => {
 *   const sent = fieldsSet(item)!; // e.g. Set {"price"}
 *   return { ...items[id], ...Object.fromEntries([...sent].map((k) => [k, item[k as keyof typeof item]])) };
 * });
 */
export function fieldsSet(value: unknown): ReadonlySet<string> | undefined {
  return typeof value === "object" && value !== null ? origins.get(value)?.fieldsSet : undefined;
}

/**
 * Only the fields the client sent, as parsed (pydantic's `model_dump(exclude_unset=True)`, keeping values as they
 * are — dates stay `Date`s): the update to apply in a PATCH. Any other value is returned as a shallow copy.
 *
 * @example
 * app.patch("/items/{id}", { params: { id: Path(), item: Body(Item) }, response: Item }, ({ id, item }) =>
 *   (items[id] = { ...items[id], ...pickFieldsSet(item) }));
 */
export function pickFieldsSet<T extends object>(value: T): Partial<T> {
  const set = fieldsSet(value);
  if (set === undefined) return { ...value };
  const out: Partial<T> = {};
  for (const name of set) out[name as keyof T] = value[name as keyof T];
  return out;
}
