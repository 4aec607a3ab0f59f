import type { StandardSchemaV1 } from "../schema/standard-schema.ts";

/** Options of {@link field}. */
export interface FieldOptions {
  /** The field's name on the wire, in requests and (by default) responses: `field(z.int(), { alias: "ItemID" })`. */
  alias?: string;
  /** Never write this field in responses (it is still read from requests), like pydantic's `Field(exclude=True)`. */
  exclude?: boolean;
}

const FIELD_BRAND: unique symbol = Symbol.for("typefast.field");

/**
 * A model field declared with options; created by {@link field}.
 * @example new Field(z.int(), { alias: "ItemID" }) // the same as field(z.int(), { alias: "ItemID" })
 */
export class Field<S extends StandardSchemaV1 = StandardSchemaV1> {
  readonly [FIELD_BRAND] = true;
  constructor(
    readonly schema: S,
    readonly options: Readonly<FieldOptions>,
  ) {}
}

/**
 * A model field with options — an alias, or exclusion from responses. A plain schema is a field without options.
 *
 * @example
 * const LegacyItem = model({
 *   item_id: field(z.int(), { alias: "ItemID" }),
 *   unit_cost: field(z.number(), { alias: "Cost_USD" }),
 * });
 */
export function field<S extends StandardSchemaV1>(schema: S, options: FieldOptions): Field<S> {
  if (options.alias !== undefined && (typeof options.alias !== "string" || options.alias === "")) {
    throw new TypeError(`field(): alias must be a non-empty string (got ${JSON.stringify(options.alias)}).`);
  }
  return new Field(schema, options);
}

/** True for the values created by {@link field}. */
export function isField(value: unknown): value is Field {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FIELD_BRAND] === true;
}
