/**
 * Parsing of the `Authorization` request header (RFC 9110 §11.6.2): `credentials = auth-scheme [ 1*SP token68 ]`.
 * Internal: the schemes use it; applications get typed credentials instead.
 */

/** The outcome of reading one scheme's credentials from `Authorization`. */
export type AuthorizationRead =
  | { readonly kind: "missing" }
  /** Credentials of another scheme (`Basic …` sent to a bearer scheme): to the scheme, the same as none. */
  | { readonly kind: "other-scheme" }
  /** The right scheme, but a value that does not fit its syntax. */
  | { readonly kind: "malformed" }
  | { readonly kind: "ok"; readonly scheme: string; readonly value: string };

// token68 (RFC 9110 §11.2), which is also RFC 6750 §2.1's b64token.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Splits `Authorization` into scheme and credentials. Auth schemes are case-insensitive (RFC 9110 §11.1), so
 * `bearer x` is a bearer token. A header that repeats (joined by `, `) or whose value is not a token68 is malformed.
 */
export function readAuthorization(header: string | undefined, scheme: string): AuthorizationRead {
  if (header === undefined) return { kind: "missing" };
  const text = header.trim();
  if (text === "") return { kind: "missing" };
  const space = text.indexOf(" ");
  const given = space === -1 ? text : text.slice(0, space);
  if (given.toLowerCase() !== scheme.toLowerCase()) return { kind: "other-scheme" };
  const value = space === -1 ? "" : text.slice(space + 1).trim();
  if (!TOKEN68.test(value)) return { kind: "malformed" };
  return { kind: "ok", scheme: given, value };
}

/**
 * Decodes Basic credentials (RFC 7617 §2): base64 of `user-id ":" password`, UTF-8 (we announce
 * `charset="UTF-8"`, §2.1). The user-id cannot contain a colon, so the first colon splits; control characters are
 * forbidden in both parts. Returns `undefined` for anything malformed.
 */
export function decodeBasic(token68: string): { username: string; password: string } | undefined {
  if (token68.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(token68)) return undefined;
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(token68, "base64"));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
