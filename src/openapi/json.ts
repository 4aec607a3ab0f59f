/** Small JSON helpers of the OpenAPI generator: canonical text for comparison, and FastAPI's deep update. */

/** JSON text with object keys sorted, so two equal objects give the same string whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * Merges `extra` into `target` in place: nested plain objects merge key by key, arrays are concatenated (so
 * `openapiExtra: { parameters: [...] }` adds parameters), anything else replaces — FastAPI's `deep_dict_update`.
 * Values are taken by reference: clone `extra` first when it must not be shared. `merged` is called for every
 * pair of objects merged key by key (the top-level pair last).
 */
export function deepMerge(
  target: Record<string, unknown>,
  extra: Readonly<Record<string, unknown>>,
  merged?: (target: Record<string, unknown>, extra: Readonly<Record<string, unknown>>) => void,
): Record<string, unknown> {
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value, merged);
    else if (Array.isArray(value) && Array.isArray(current)) target[key] = [...current, ...value];
    else target[key] = value;
  }
  merged?.(target, extra);
  return target;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
