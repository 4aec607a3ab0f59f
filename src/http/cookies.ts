/**
 * Cookie parsing (request `Cookie` header) and serialization (response `Set-Cookie` header).
 *
 * Parsing is deliberately lenient, like Starlette's: browsers and proxies send all kinds of junk and one bad pair
 * must not cost the request its other cookies. Serialization is deliberately strict: anything that could end the
 * header or smuggle an attribute (`;`, CR, LF, other control characters) is refused with a `TypeError`.
 */
import { nullObject } from "../null-object.ts";

/**
 * Attributes of a `Set-Cookie` header.
 *
 * @example
 * const options: CookieOptions = { httpOnly: true, secure: true, sameSite: "strict", maxAge: 86_400 };
 */
export interface CookieOptions {
  /** Lifetime in seconds (`Max-Age`); `0` or negative expires the cookie at once. */
  maxAge?: number;
  /** Absolute expiry (`Expires`); sent in the IMF-fixdate format browsers expect. */
  expires?: Date;
  /** Defaults to `"/"` (as in Starlette) so a cookie set under `/api/login` is visible app-wide. */
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  /** Defaults to `"lax"` (as in Starlette); `false` omits the attribute. Browsers require `secure` with `"none"`. */
  sameSite?: "lax" | "strict" | "none" | false;
  /** CHIPS partitioned cookie; browsers require `secure` too. */
  partitioned?: boolean;
}

/**
 * Parses a `Cookie` request header into a null-prototype object (so a cookie named `__proto__` is just data).
 *
 * Pairs without `=` are ignored, surrounding whitespace and double quotes are stripped, the first occurrence of a
 * name wins (browsers send the most specific path first), and values are percent-decoded when that is valid.
 *
 * @example
 * parseCookies('session=abc; theme="dark"; name=J%C3%B6rg'); // { session: "abc", theme: "dark", name: "Jörg" }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = nullObject<string>();
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue; // `flag` without a value: nothing we can name it by
    const name = pair.slice(0, eq).trim();
    if (name === "" || name in cookies) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
      value = value.slice(1, -1);
    }
    cookies[name] = decode(value);
  }
  return cookies;
}

/** Percent-decodes, but keeps the raw text when it is not valid percent-encoding (e.g. `100%`). */
function decode(value: string): string {
  if (value.indexOf("%") === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// RFC 6265 cookie-name is an RFC 9110 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters and `;` would end the header or the pair: refused outright in every position.
const FORBIDDEN = /[\u0000-\u001f\u007f;]/;
// RFC 6265 cookie-octet, minus `%` so that everything we percent-encode round-trips through parseCookies.
const COOKIE_OCTET = /[\u0021\u0023-\u0024\u0026-\u002b\u002d-\u003a\u003c-\u005b\u005d-\u007e]/;

/**
 * Serializes one `Set-Cookie` header value.
 *
 * Values may contain spaces, quotes, commas, backslashes, `%` and non-ASCII text: those are percent-encoded (and
 * decoded again by {@link parseCookies}). Control characters, CR/LF and `;` in the name, value, path or domain
 * throw a `TypeError` naming the culprit, so a user-controlled value can never inject headers or attributes.
 *
 * @example
 * serializeCookie("session", "abc", { httpOnly: true, maxAge: 3600 });
 * // "session=abc; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax"
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) {
    throw new TypeError(`Invalid cookie name ${JSON.stringify(name)}: only RFC 9110 token characters are allowed`);
  }
  if (FORBIDDEN.test(value)) {
    throw new TypeError(`Invalid value for cookie "${name}": control characters, CR/LF and ";" are not allowed`);
  }
  let header = `${name}=${encodeValue(value)}`;
  if (options.maxAge !== undefined) {
    if (!Number.isFinite(options.maxAge)) throw new TypeError(`Invalid maxAge for cookie "${name}": ${options.maxAge}`);
    header += `; Max-Age=${Math.floor(options.maxAge)}`;
  }
  if (options.expires !== undefined) {
    if (!(options.expires instanceof Date) || Number.isNaN(options.expires.getTime())) {
      throw new TypeError(`Invalid expires for cookie "${name}": expected a valid Date`);
    }
    header += `; Expires=${options.expires.toUTCString()}`;
  }
  if (options.domain !== undefined) header += `; Domain=${checkAttribute(name, "domain", options.domain)}`;
  header += `; Path=${checkAttribute(name, "path", options.path ?? "/")}`;
  if (options.secure) header += "; Secure";
  if (options.httpOnly) header += "; HttpOnly";
  const sameSite = options.sameSite ?? "lax";
  if (sameSite !== false) {
    if (sameSite !== "lax" && sameSite !== "strict" && sameSite !== "none") {
      throw new TypeError(`Invalid sameSite for cookie "${name}": ${String(sameSite)}`);
    }
    header += `; SameSite=${sameSite === "lax" ? "Lax" : sameSite === "strict" ? "Strict" : "None"}`;
  }
  if (options.partitioned) header += "; Partitioned";
  return header;
}

function checkAttribute(cookie: string, attribute: string, value: string): string {
  if (FORBIDDEN.test(value)) {
    throw new TypeError(`Invalid ${attribute} for cookie "${cookie}": control characters, CR/LF and ";" are not allowed`);
  }
  return value;
}

/** Percent-encodes every character outside cookie-octet; the common all-safe case returns the input untouched. */
function encodeValue(value: string): string {
  let out = "";
  let plain = 0;
  for (let i = 0; i < value.length; i++) {
    if (COOKIE_OCTET.test(value[i])) continue;
    // Encode by code point so a surrogate pair becomes one UTF-8 sequence.
    const width = value.codePointAt(i)! > 0xffff ? 2 : 1;
    let encoded: string;
    try {
      encoded = encodeURIComponent(value.slice(i, i + width));
    } catch {
      throw new TypeError(`Invalid cookie value: lone UTF-16 surrogate at index ${i}`);
    }
    out += value.slice(plain, i) + encoded;
    i += width - 1;
    plain = i + 1;
  }
  return plain === 0 ? value : out + value.slice(plain);
}
