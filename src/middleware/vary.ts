/**
 * Adds `token` to a response's `vary` header unless it is already listed (or `*`). Shared by CORS and GZip.
 *
 * @example
 * addVary(response.headers, "Origin"); // vary: Accept-Encoding, Origin
 */
export function addVary(headers: Record<string, string | string[]>, token: string): void {
  const current = headers["vary"];
  if (current === undefined) {
    headers["vary"] = token;
    return;
  }
  const text = Array.isArray(current) ? current.join(", ") : current;
  const lower = token.toLowerCase();
  if (text.split(",").some((t) => { const v = t.trim().toLowerCase(); return v === lower || v === "*"; })) return;
  headers["vary"] = `${text}, ${token}`;
}
