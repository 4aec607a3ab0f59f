/**
 * Alias generators for `model(shape, { aliasGenerator })`: each turns a field name into its name on the wire.
 * Names are split into words at `_`, `-`, spaces and lower→upper case changes, so any style converts to any other.
 */

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter((w) => w !== "");
}

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

/**
 * `product_id` → `productId` (pydantic's `to_camel`).
 * @example model({ unit_price: z.number() }, { aliasGenerator: toCamel }) // reads and writes "unitPrice"
 */
export function toCamel(name: string): string {
  const [first = "", ...rest] = words(name);
  return first.toLowerCase() + rest.map(capital).join("");
}

/**
 * `product_id` → `ProductId` (pydantic's `to_pascal`).
 * @example toPascal("item_name") // "ItemName"
 */
export function toPascal(name: string): string {
  return words(name).map(capital).join("");
}

/**
 * `productId` → `product_id` (pydantic's `to_snake`).
 * @example toSnake("unitPrice") // "unit_price"
 */
export function toSnake(name: string): string {
  return words(name).map((w) => w.toLowerCase()).join("_");
}

/**
 * `x_request_id` → `x-request-id`: header-style names, e.g. for a header model read with `Header(Model)`.
 * @example model({ x_token: z.string() }, { aliasGenerator: toKebab }) // reads the "x-token" header
 */
export function toKebab(name: string): string {
  return words(name).map((w) => w.toLowerCase()).join("-");
}
