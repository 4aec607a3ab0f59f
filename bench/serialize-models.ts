/**
 * Response serialization micro-benchmark: a 100-item list response of a model with aliases (`toCamel`) and a
 * computed field, written by Typefast's response path (validate by field names, alias, compute, JSON) next to
 * Fastify's fast-json-stringify producing byte-identical JSON, in one run.
 *
 *   npx tsx bench/serialize-models.ts [--seconds 0.2] [--rounds 25]
 *
 * Contenders (each must produce exactly the same string, checked before timing):
 * - `typefast`: what `render` does for `response: OrderLine.array()` — the route's compiled response schema
 *   `validate` (reads rows by field name, validates every field, writes aliases and the computed field) then
 *   `stringifyJson`.
 * - `fjs (pre-shaped)`: fast-json-stringify alone on rows already renamed and computed — no validation, no mapping.
 *   Its schema is Typefast's own output JSON Schema for the route, so it also checks that document.
 * - `fjs + map`: what a Fastify handler writes to send the same JSON from the same rows: map each row to the
 *   aliased shape with the computed field, then fast-json-stringify.
 * Prints the median ops/s of interleaved rounds (CPU time, so a busy machine skews less) and the median of the
 * per-round ratios; the goal is typefast ≥ 0.8 × fjs (pre-shaped).
 */
import { createRequire } from "node:module";
import { z } from "zod";
import { App, model, stringifyJson, toCamel } from "../src/index.ts";

// fast-json-stringify is Fastify's dependency: resolve it from there.
const requireFromFastify = createRequire(import.meta.resolve("fastify"));
const fastJsonStringify = requireFromFastify("fast-json-stringify") as (schema: object) => (data: unknown) => string;

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = option("seconds", 0.2);
const ROUNDS = option("rounds", 25);

const OrderLine = model(
  {
    product_id: z.int(),
    product_name: z.string(),
    unit_price: z.number(),
    quantity: z.int(),
    discount_code: z.string().nullable(),
  },
  { id: "OrderLine", aliasGenerator: toCamel },
).computed({
  total_price: { schema: z.number(), get: (line) => Math.round(line.unit_price * line.quantity * 100) / 100 },
});

// Rows as a data layer returns them: field names, plus a column the response must not leak.
const rows = Array.from({ length: 100 }, (_, i) => ({
  product_id: 1000 + i,
  product_name: `Product ${i}`,
  unit_price: Math.round((4.99 + i * 1.37) * 100) / 100,
  quantity: 1 + (i % 9),
  discount_code: i % 4 === 0 ? `SAVE${i}` : null,
  internal_cost: 1.23,
}));
type Row = (typeof rows)[number];

const app = new App();
const route = app.get("/orders/lines", { response: OrderLine.array() }, () => rows);
const responseModel = route.responseModel!;

function typefast(): string {
  const checked = responseModel.validate(rows);
  if (checked instanceof Promise || checked.issues !== undefined) throw new Error("unexpected validation result");
  return stringifyJson(checked.value);
}

const shape = (r: Row) => ({
  productId: r.product_id,
  productName: r.product_name,
  unitPrice: r.unit_price,
  quantity: r.quantity,
  discountCode: r.discount_code,
  totalPrice: Math.round(r.unit_price * r.quantity * 100) / 100,
});
const shaped = rows.map(shape);
const { $schema: _uri, ...documented } = responseModel.outputJsonSchema();
const fjs = fastJsonStringify(documented);
const fjsPreShaped = (): string => fjs(shaped);
const fjsMap = (): string => fjs(rows.map(shape));

const contenders: Array<[string, () => string]> = [
  ["typefast", typefast],
  ["fjs (pre-shaped)", fjsPreShaped],
  ["fjs + map", fjsMap],
];

const expected = typefast();
for (const [name, fn] of contenders) {
  if (fn() !== expected) throw new Error(`${name} does not produce the same JSON:\n${fn().slice(0, 300)}\n${expected.slice(0, 300)}`);
}

// The machine may be shared: time each batch in this process's CPU time (not wall time), interleave short batches
// of every contender, and compare within each round.
let sink = 0;
function measure(fn: () => string): number {
  const budget = SECONDS * 1e6; // microseconds of CPU time
  const start = process.cpuUsage();
  let used = 0;
  let n = 0;
  while (used < budget) {
    for (let i = 0; i < 20; i++) sink += fn().length;
    n += 20;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return n / (used / 1e6);
}

for (const [, fn] of contenders) measure(fn); // warm-up
const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of contenders) samples.get(name)!.push(measure(fn));
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ours = samples.get("typefast")!;
console.log(`100-item list, ${expected.length} bytes; ${ROUNDS} interleaved rounds of ${SECONDS}s CPU time each\n`);
for (const [name] of contenders) console.log(`${name.padEnd(18)} ${Math.round(median(samples.get(name)!)).toString().padStart(8)} ops/s (median)`);
console.log("");
for (const [name] of contenders.slice(1)) {
  const theirs = samples.get(name)!;
  const ratio = median(ours.map((x, i) => x / theirs[i]!));
  console.log(`typefast / ${name.padEnd(17)} ${ratio.toFixed(2)}× (median of per-round ratios)`);
}
if (sink === 0) console.log("");
