/**
 * fast-check arbitraries for raw HTTP/1.1 requests against the fuzz app: a structured request (method, path with
 * junk segments and encodings, query, headers, a body of some kind with some framing), then, for a quarter of the
 * cases, byte-level mutations of the serialized request. Everything is built as bytes, so invalid UTF-8, bare CR or
 * LF and NUL reach the server exactly as generated.
 */
import fc from "fast-check";
import { API_KEY } from "./fuzz-app.ts";

/** One generated request. */
export interface FuzzCase {
  /** The generator branches taken, for the report (e.g. `json-deep/cl/mutated`). */
  readonly kind: string;
  readonly method: string;
  /** The request target as sent (before mutations). */
  readonly target: string;
  readonly bytes: Buffer;
  /**
   * True when the bytes are exactly one request the server can frame (valid Content-Length or chunking, no
   * mutation, no upgrade): the server must then answer in full, and a request sent after it on the same
   * connection must be answered too.
   */
  readonly framed: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// encodings

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD, like any encoder would send it). */
function pct(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Percent-encodes raw bytes: most byte strings are not UTF-8. */
const pctBytes = (bytes: Uint8Array): string => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A string as the bytes of its UTF-8 encoding, one latin1 character per byte (how the request is assembled). */
const utf8 = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

// ---------------------------------------------------------------------------------------------------------------
// request line

const methodArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant("GET") },
  { weight: 8, arbitrary: fc.constant("POST") },
  { weight: 4, arbitrary: fc.constantFrom("PUT", "HEAD", "OPTIONS", "DELETE", "PATCH") },
  { weight: 1, arbitrary: fc.constantFrom("get", "FOO", "CONNECT", "TRACE", "PRI", "G\u00c9T", "M-SEARCH", "") },
);

const KNOWN_PATHS = [
  "/ping", "/items", "/items/1", "/items/42", "/merge", "/anything", "/form", "/form-model", "/upload", "/files",
  "/users/me", "/secure/key", "/secure/basic", "/secure/jwt", "/redirect", "/echo-header", "/text/a/b", "/ws/lobby",
  "/v1", "/v1/status", "/v1/echo", "/static/hello.txt", "/static/data.json", "/static/docs", "/static/docs/",
  "/static/link.txt", "/static/", "/docs", "/redoc", "/openapi.json", "/asyncapi.json", "/", "/nope", "/items/",
];

const TRICKY_SEGMENTS = [
  "1", "0", "-1", "42", "9007199254740993", "1e3", "0x10", "1.0", "%201", "abc", "", "..", ".", "%2e%2e", "%2E%2e%2F",
  "%252e%252e%252f", "..%2f", "..%2F..%2Fsecret.txt", "..\\", "..%5c", "..%5C..%5Csecret.txt", "%00", "hello.txt%00.json",
  "%", "%zz", "%C0%AF", "%C0%AE%C0%AE", "%E0%A4%A", "%ff", "%u002e", "secret.txt", "~", "a;b", "%3F", "%23", "%2F",
  "docs", "index.html", "hello.txt", "link.txt", "%E2%82%AC", "%F0%9F%92%A9",
];

const segmentArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: "binary" }).map(pct) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map(pctBytes) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

const pathArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom("/items/", "/static/", "/static/docs/", "/text/", "/ws/", "/v1/", "/", "/static/..", "/users/"), fc.array(segmentArb, { minLength: 1, maxLength: 5 }))
      .map(([prefix, segments]) => prefix + segments.join("/")),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => `/items/${"a".repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom("*", "http://127.0.0.1/ping", "//ping", "ping", "/ping#frag", "/%2F%2F", "/ping/", "//static//hello.txt", "") },
);

// ---------------------------------------------------------------------------------------------------------------
// query

const QUERY_NAMES = [
  "q", "limit", "tags", "flag", "price", "next", "value", "verbose", "a", "filter", "__proto__", "constructor", "prototype",
  "__proto__[polluted]", "constructor[prototype][polluted]", "toString", "hasOwnProperty", "api_key",
];
const QUERY_VALUES = [
  "1", "0", "-1", "10", "101", "true", "false", "yes", "on", "", "null", "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
  "99999999999999999999999", "0.1", "-0", "1_000", "0x1f", "%205", "%", "%zz", "%0d%0a", "/a%0d%0aSet-Cookie:%20x=1",
  "/ok", "//evil.com", "https://evil.com", "/%E2%82%AC", "%C3%A9", "%ff%fe", "%00", "/\u00e9", "/a%09b",
];
const queryValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...QUERY_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: "binary" }).map(pct) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);
const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 }).map(pct)), queryValueArb, fc.boolean()), { minLength: 1, maxLength: 8 })
      .map((pairs) => "?" + pairs.map(([k, v, withEq]) => (withEq || v !== "" ? `${k}=${v}` : k)).join("&")),
  },
  { weight: 1, arbitrary: fc.integer({ min: 990, max: 1100 }).map((n) => "?" + Array.from({ length: n }, (_, i) => `p${i}=1`).join("&")) },
  { weight: 1, arbitrary: fc.constantFrom("?", "?&&&", "?=", "?==", "?a==b", "?%", "?a=%", "?tags=a&tags=b&tags=", "?q=" + "x".repeat(60)) },
);

// ---------------------------------------------------------------------------------------------------------------
// headers

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");
const jwtLike = (header: object, payload: object, signature = "") => `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;

const authArb = fc.oneof(
  fc.constantFrom(
    `Basic ${b64("admin:fuzz-basic-password")}`,
    `Basic ${b64("admin:wrong")}`,
    `Basic ${b64("no-colon")}`,
    `Basic ${b64("\u00e9:\u00e9")}`,
    "Basic !!!not-base64!!!",
    "Basic ",
    "Basic",
    "Bearer ",
    "Bearer a.b.c",
    `Bearer ${jwtLike({ alg: "none", typ: "at+jwt" }, { sub: "root", exp: 9_999_999_999, iss: "fuzz", aud: "fuzz-api" })}`,
    `Bearer ${jwtLike({ alg: "HS256", typ: "at+jwt" }, { sub: "root", exp: 1 }, "AAAA")}`,
    `Bearer ${jwtLike({ alg: "RS256", typ: "at+jwt", jwk: { kty: "oct" } }, { sub: "root" }, "x")}`,
    "Negotiate abc",
    "bearer\ttoken",
  ),
  fc.tuple(fc.constantFrom("Basic ", "Bearer ", ""), fc.string({ maxLength: 40 })).map(([s, v]) => s + v),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 10 })).map(([h, p, s]) => `Bearer ${b64url(JSON.stringify(h) ?? "")}.${b64url(JSON.stringify(p) ?? "")}.${s}`),
);

/** A printable header value, sometimes with obs-text bytes (0x80–0xFF) that Node passes on as latin1. */
const headerValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40, unit: "grapheme-ascii" }).map((s) => s.replace(/[\r\n\0]/g, " ")) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }).map((b) => String.fromCharCode(...b.map((x) => (x < 0x20 ? x + 0x80 : x === 0x7f ? 0x20 : x)))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: "binary" }).map(utf8).map((s) => s.replace(/[\r\n\0]/g, " ")) },
);

type HeaderPair = readonly [string, string];

const headerArb = fc.oneof<fc.Arbitrary<HeaderPair[]>[]>(
  fc.tuple(fc.constant("x-token"), headerValueArb).map((h) => [h]),
  fc.tuple(fc.constant("x-user"), fc.oneof(fc.constantFrom("alice", "banned", ""), headerValueArb)).map((h) => [h]),
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom("session_id", "__proto__", "constructor", "a"), fc.string({ maxLength: 6 })), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("%", "%zz", '"q"', "%E2%82%AC"))), { maxLength: 4 })
    .map((pairs) => [["cookie", utf8(pairs.map(([k, v]) => `${k}=${v}`).join("; "))] as const]),
  authArb.map((v) => [["authorization", utf8(v)] as const]),
  fc.constantFrom("https://app.example.com", "https://evil.example", "null", "https://app.example.com.evil.example", "https://APP.example.com", "https://app.example.com:443", "").map((v) => [["origin", v] as const]),
  fc.constantFrom("gzip", "br, gzip;q=0", "*", "identity;q=0", "gzip;q=abc", "x".repeat(100)).map((v) => [["accept-encoding", v] as const]),
  fc.oneof(fc.constantFrom("req-1", "", "a b", "\u00e9\u00e9"), headerValueArb).map((v) => [["x-request-id", v] as const]),
  fc.constantFrom(API_KEY, `${API_KEY.slice(0, -1)}x`, "", API_KEY + API_KEY).map((v) => [["x-api-key", v] as const]),
  fc.constantFrom("bytes=0-3", "bytes=5-2", "bytes=-1", "bytes=0-0,2-3", "bytes=999999-", "bytes=abc", "bytes=-0", "items=0-1").map((v) => [["range", v] as const]),
  fc.constantFrom('"x"', "*", "W/\"abc\"", "").map((v) => [["if-none-match", v] as const]),
  fc.constantFrom("Sat, 01 Jan 2000 00:00:00 GMT", "garbage").map((v) => [["if-modified-since", v] as const]),
  fc.constant([["expect", "100-continue"] as const]),
  fc
    .tuple(fc.constantFrom("dGhlIHNhbXBsZSBub25jZQ==", "short", ""), fc.constantFrom("13", "8", ""))
    .map(([key, version]) => [["upgrade", "websocket"], ["connection", "Upgrade"], ["sec-websocket-key", key], ["sec-websocket-version", version]] as HeaderPair[]),
  fc
    .tuple(fc.constantFrom("POST", "PUT", "get", ""), fc.constantFrom("content-type", "x-evil", "", "authorization, x-token"))
    .map(([m, h]) => [["access-control-request-method", m], ["access-control-request-headers", h]] as HeaderPair[]),
  fc.constantFrom("1.2.3.4", "for=evil", "").map((v) => [["x-forwarded-for", v] as const]),
  fc.tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((n) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(n)), headerValueArb).map((h) => [h]),
);

const hostArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant<string | undefined>("127.0.0.1") },
  { weight: 2, arbitrary: fc.constantFrom<string | undefined>("localhost", "x.example.com", "evil.example", "", "[::1]", "127.0.0.1:1", "a b", undefined) },
);

// ---------------------------------------------------------------------------------------------------------------
// bodies

interface BodySpec {
  readonly kind: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

const json = (kind: string, text: string, contentType: string | undefined = "application/json"): BodySpec => ({ kind, contentType, body: Buffer.from(text, "latin1") });
const jsonText = (value: unknown): string => utf8(JSON.stringify(value) ?? "null");

const itemLikeArb = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(""), fc.constant(null)),
    price: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -1, 1.5, 1e9, 1e10), fc.string({ maxLength: 5 })),
    tags: fc.oneof(fc.array(fc.string({ maxLength: 35 }), { maxLength: 12 }), fc.string()),
    owner: fc.oneof(fc.record({ name: fc.string({ maxLength: 5 }), email: fc.constantFrom("a@b.co", "nope", "") }, { requiredKeys: [] }), fc.string(), fc.constant(null)),
    dims: fc.oneof(fc.record({ w: fc.integer(), h: fc.oneof(fc.integer(), fc.double()) }), fc.constant([])),
    attributes: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "constructor", "prototype")), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);

const PROTO_BODIES = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '{"a":{"\\u005f_proto__":{"polluted":"yes"}}}',
  '{"a":{"\\u005F\\u005Fproto\\u005F\\u005F":{"polluted":"yes"}}}',
  '{"a":{"\\u0063onstructor":{"prototype":{"polluted":"yes"}}}}',
  '{"a":[{"__proto__":{"polluted":"yes"}}],"b":{"c":{"constructor":{"prototype":{"polluted":"yes"}}}}}',
  '{"name":"x","price":1,"attributes":{"__proto__":{"polluted":"yes"}}}',
  '{"item":{"name":"x","price":1,"__proto__":{"polluted":"yes"}},"owner":{"name":"o","constructor":{"prototype":{"polluted":"yes"}}},"importance":1}',
  '{"__proto__":[],"length":1}',
  '{"__proto__":null}',
];

const NUMBER_BODIES = [
  '{"name":"x","price":1e400}',
  '{"name":"x","price":-1e400}',
  '{"name":"x","price":1e-400}',
  '{"name":"x","price":123456789012345678901234567890}',
  `{"name":"x","price":${"9".repeat(400)}}`,
  `{"name":"x","price":0.${"1".repeat(400)}}`,
  '{"name":"x","price":-0}',
  '{"name":"x","price":1,"dims":{"w":1e400,"h":9007199254740993}}',
  '{"name":"x","price":01}',
  '{"name":"x","price":NaN}',
  '{"name":"x","price":Infinity}',
  '{"name":"x","price":0x10}',
];

const DUPLICATE_BODIES = [
  '{"name":"a","name":"b","price":1,"price":-1}',
  '{"name":"a","price":1,"owner":{"name":"x"},"owner":"y"}',
  '{"item":{"name":"a","price":1},"item":null,"owner":{"name":"o"},"importance":2}',
  '{"__proto__":1,"__proto__":{"polluted":"yes"}}',
];

const deepArb = fc
  .tuple(fc.integer({ min: 10, max: 100_000 }), fc.constantFrom("array", "object", "unbalanced", "mixed"))
  .map(([depth, shape]): string => {
    if (shape === "array") return "[".repeat(depth) + "]".repeat(depth);
    if (shape === "object") return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    if (shape === "mixed") return '[{"a":'.repeat(depth) + "null" + "}]".repeat(depth);
    return "[".repeat(depth) + "]".repeat(Math.floor(depth / 2));
  });

const jsonBodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 6, arbitrary: itemLikeArb.map((v) => json("json-item", jsonText(v))) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => json("json-any", jsonText(v))) },
  { weight: 2, arbitrary: fc.tuple(itemLikeArb, itemLikeArb, fc.integer({ min: -2, max: 8 })).map(([item, owner, importance]) => json("json-embed", jsonText({ item, owner, importance }))) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_BODIES).map((t) => json("json-proto", t)) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_BODIES).map((t) => json("json-number", t)) },
  { weight: 1, arbitrary: fc.constantFrom(...DUPLICATE_BODIES).map((t) => json("json-duplicate", t)) },
  { weight: 2, arbitrary: deepArb.map((t) => json("json-deep", t)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(itemLikeArb, fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.nat())
      .map(([v, junk, at]) => {
        // Invalid UTF-8 (or a truncated document) inside otherwise valid JSON.
        const text = Buffer.from(JSON.stringify(v), "utf8");
        const cut = at % (text.length + 1);
        return { kind: "json-bytes", contentType: "application/json", body: Buffer.concat([text.subarray(0, cut), Buffer.from(junk), text.subarray(cut)]) };
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\ufeff{}", "{", '{"name":', "nul", "[1,]", '"\\ud800"', '{"a":"\\u0000"}').map((t) => json("json-broken", utf8(t))) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n) => json("json-large", jsonText({ name: "x".repeat(n), price: 1 }))) },
);

const formFieldArb = fc.tuple(fc.oneof(fc.constantFrom("username", "age", "remember", "note", "tag", "a", "__proto__", "constructor"), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom("alice", "30", "-1", "true", "maybe", "", "1e400"), fc.string({ maxLength: 20 })));

const urlencodedArb: fc.Arbitrary<BodySpec> = fc.oneof(
  fc.array(formFieldArb, { maxLength: 6 }).map((pairs) => ({
    kind: "urlencoded",
    contentType: "application/x-www-form-urlencoded",
    body: Buffer.from(pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&"), "latin1"),
  })),
  fc.constantFrom("a=%", "a=%zz&b=1", "%=%", "&&&=&", "username=%E2%82&age=1", "age=" + "9".repeat(400), "x=" + "%41".repeat(2000)).map((t) => ({ kind: "urlencoded-broken", contentType: "application/x-www-form-urlencoded", body: Buffer.from(t, "latin1") })),
  fc.integer({ min: 40, max: 70 }).map((n) => ({ kind: "urlencoded-many", contentType: "application/x-www-form-urlencoded", body: Buffer.from(Array.from({ length: n }, (_, i) => `f${i}=1`).join("&")) })),
);

const BOUNDARIES = ["XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a b", "x".repeat(70), "x".repeat(71), "", "a\u00e9b", "a;b", '"quoted"', "a ", "=?"];

const partArb = fc.oneof(
  formFieldArb.map(([name, value]) => ({ name, value: Buffer.from(value, "utf8"), filename: undefined as string | undefined, type: undefined as string | undefined })),
  fc
    .tuple(
      fc.constantFrom("file", "files", "note", "__proto__"),
      fc.oneof(fc.constantFrom("a.txt", "../../etc/passwd", "..\\..\\boot.ini", "", "\u00e9t\u00e9.txt", 'q"uote.txt', "a\u0000b.txt", "x".repeat(300)), fc.string({ maxLength: 12 })),
      fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), fc.integer({ min: 15_000, max: 40_000 }).map((n) => Buffer.alloc(n, 0x61))),
      fc.constantFrom("text/plain", "application/octet-stream", "", "image/png; charset=\u00e9"),
    )
    .map(([name, filename, value, type]) => ({ name, value, filename: filename as string | undefined, type: type as string | undefined })),
);

const multipartArb: fc.Arbitrary<BodySpec> = fc
  .tuple(
    fc.constantFrom(...BOUNDARIES),
    fc.array(partArb, { maxLength: 6 }),
    fc.constantFrom("ok", "ok", "ok", "no-close", "wrong-boundary", "garbage-headers", "no-crlf", "preamble", "truncated", "no-boundary-param", "quoted"),
  )
  .map(([boundary, parts, flaw]) => {
    const chunks: Buffer[] = [];
    if (flaw === "preamble") chunks.push(Buffer.from("preamble text\r\n"));
    const used = flaw === "wrong-boundary" ? `${boundary}x` : boundary;
    for (const part of parts) {
      const disposition = `form-data; name="${part.name}"${part.filename === undefined ? "" : `; filename="${part.filename}"`}`;
      const head = flaw === "garbage-headers" ? "Content-Disposition form-data\r\n\u00ff\u00fe: x" : `Content-Disposition: ${disposition}${part.type ? `\r\nContent-Type: ${part.type}` : ""}`;
      chunks.push(Buffer.from(`--${used}${flaw === "no-crlf" ? "" : "\r\n"}${utf8(head)}\r\n\r\n`, "latin1"), part.value, Buffer.from("\r\n"));
    }
    if (flaw !== "no-close") chunks.push(Buffer.from(`--${used}--\r\n`, "latin1"));
    let body = Buffer.concat(chunks);
    if (flaw === "truncated") body = body.subarray(0, Math.floor(body.length / 2));
    const param = flaw === "no-boundary-param" ? "" : flaw === "quoted" ? `; boundary="${boundary}"` : `; boundary=${boundary}`;
    return { kind: `multipart-${flaw}`, contentType: utf8(`multipart/form-data${param}`), body };
  });

const bodyArb: fc.Arbitrary<BodySpec | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: jsonBodyArb },
  { weight: 2, arbitrary: urlencodedArb },
  { weight: 3, arbitrary: multipartArb },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ kind: "bytes", contentType: undefined, body: Buffer.from(b) })) },
);

/** Sometimes (one case in eight) the content type does not match the body. */
const contentTypeOverrideArb = fc.oneof(
  { weight: 7, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/xml", "application/json; charset=latin1", "application/vnd.api+json", "APPLICATION/JSON", "multipart/form-data", "application/x-www-form-urlencoded", "", "*/*", "application/json\u00e9") },
);

// ---------------------------------------------------------------------------------------------------------------
// route-aware requests: the right method and body kind for a route, so that most reach validation and handlers

interface Routed {
  readonly method: string;
  readonly path: string;
  readonly body: BodySpec | undefined;
}

const idArb = fc.oneof(fc.constantFrom("1", "42", "0", "-1", "abc", "1e3", "9007199254740993", "%31"), fc.nat().map(String));
const get = (path: string): Routed => ({ method: "GET", path, body: undefined });
const post = (path: string, body: BodySpec): Routed => ({ method: "POST", path, body });

const routedArb: fc.Arbitrary<Routed> = fc.oneof(
  idArb.map((id) => get(`/items/${id}`)),
  jsonBodyArb.map((b) => post("/items", b)),
  fc.tuple(idArb, jsonBodyArb).map(([id, body]): Routed => ({ method: "PUT", path: `/items/${id}`, body })),
  fc.tuple(fc.constantFrom("/merge", "/anything", "/v1/echo"), jsonBodyArb).map(([path, body]) => post(path, body)),
  fc.tuple(fc.constantFrom("/form", "/form-model", "/upload", "/files"), fc.oneof(urlencodedArb, multipartArb, multipartArb)).map(([path, body]) => post(path, body)),
  fc.constantFrom("/users/me", "/secure/key", "/secure/basic", "/secure/jwt", "/redirect", "/echo-header", "/v1/status", "/ping", "/items", "/static/hello.txt", "/static/docs/", "/static/link.txt").map(get),
);

// ---------------------------------------------------------------------------------------------------------------
// framing

type Framing = "content-length" | "chunked" | "none" | "cl-short" | "cl-long" | "cl-and-te" | "cl-twice" | "cl-junk" | "chunked-bad" | "http10";
const framingArb: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 20, arbitrary: fc.constant<Framing>("content-length") },
  { weight: 3, arbitrary: fc.constant<Framing>("chunked") },
  { weight: 2, arbitrary: fc.constant<Framing>("http10") },
  { weight: 1, arbitrary: fc.constantFrom<Framing>("none", "cl-short", "cl-long", "cl-and-te", "cl-twice", "cl-junk", "chunked-bad") },
);

function chunked(body: Buffer, sizes: number[]): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = Math.max(1, Math.min(body.length - at, sizes[i % sizes.length] ?? 1));
    out.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from("\r\n"));
    at += n;
  }
  out.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(out);
}

// ---------------------------------------------------------------------------------------------------------------
// mutations

type Mutation = { op: "flip" | "insert" | "delete" | "duplicate" | "truncate"; at: number; len: number; byte: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("flip", "insert", "insert", "delete", "duplicate", "truncate"),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 16 }),
  byte: fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x00, 0x20, 0x3a, 0x25, 0x7f, 0xff, 0x80, 0x09, 0x22, 0x5c), fc.integer({ min: 0, max: 255 })),
});

function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = bytes;
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.op === "flip") {
      b = Buffer.from(b);
      b[at] = m.byte;
    } else if (m.op === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.alloc(m.len, m.byte), b.subarray(at)]);
    else if (m.op === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.op === "duplicate") b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at, at + m.len), b.subarray(at + m.len)]);
    else b = b.subarray(0, at);
  }
  return b;
}

// ---------------------------------------------------------------------------------------------------------------
// the request

const headerCountArb = fc.oneof(
  { weight: 30, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }) },
);

/** Arbitrary raw HTTP requests for the fuzz app. */
export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = fc
  .record({
    routed: fc.oneof(fc.constant(null), routedArb),
    method: methodArb,
    path: pathArb,
    query: queryArb,
    host: hostArb,
    headers: fc.array(headerArb, { maxLength: 5 }).map((groups) => groups.flat()),
    extraHeaderCount: headerCountArb,
    hugeHeader: fc.oneof({ weight: 40, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 20_000 }) }),
    body: bodyArb,
    contentType: contentTypeOverrideArb,
    framing: framingArb,
    chunkSizes: fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }),
    lineEnd: fc.oneof({ weight: 30, arbitrary: fc.constant("\r\n") }, { weight: 1, arbitrary: fc.constantFrom("\n", "\r") }),
    mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) }),
  })
  .map((generated): FuzzCase => {
    const r = generated.routed === null ? generated : { ...generated, ...generated.routed };
    const target = r.path + r.query;
    const nl = r.lineEnd;
    const version = r.framing === "http10" ? "HTTP/1.0" : "HTTP/1.1";
    const lines = [`${r.method} ${target} ${version}`];
    if (r.host !== undefined) lines.push(`Host: ${r.host}`);
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
    for (let i = 0; i < r.extraHeaderCount; i++) lines.push(`x-h${i}: ${i}`);
    if (r.hugeHeader !== null) lines.push(`x-huge: ${"h".repeat(r.hugeHeader)}`);
    const body = r.body?.body ?? Buffer.alloc(0);
    const contentType = r.contentType ?? r.body?.contentType;
    if (contentType !== undefined) lines.push(`Content-Type: ${contentType}`);
    let payload = body;
    switch (r.framing) {
      case "content-length":
      case "http10":
        if (body.length > 0 || r.method === "POST" || r.method === "PUT") lines.push(`Content-Length: ${body.length}`);
        break;
      case "chunked":
        lines.push("Transfer-Encoding: chunked");
        payload = chunked(body, r.chunkSizes);
        break;
      case "chunked-bad":
        lines.push("Transfer-Encoding: chunked");
        payload = Buffer.concat([Buffer.from(`zz\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]);
        break;
      case "cl-short":
        lines.push(`Content-Length: ${Math.max(0, body.length - 3)}`);
        break;
      case "cl-long":
        lines.push(`Content-Length: ${body.length + 10}`);
        break;
      case "cl-and-te":
        lines.push(`Content-Length: ${body.length}`, "Transfer-Encoding: chunked");
        break;
      case "cl-twice":
        lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
        break;
      case "cl-junk":
        lines.push(`Content-Length: +${body.length}`);
        break;
      case "none":
        break;
    }
    const head = Buffer.from(lines.join(nl) + nl + nl, "latin1");
    const clean = Buffer.concat([head, payload]);
    const bytes = r.mutations.length > 0 ? mutate(clean, r.mutations) : clean;
    const upgrade = r.headers.some(([name]) => name === "upgrade");
    // CONNECT and Upgrade switch protocols: what follows on the connection is no longer HTTP.
    const framed =
      r.mutations.length === 0 &&
      !upgrade &&
      r.method !== "CONNECT" &&
      nl === "\r\n" &&
      (r.framing === "content-length" || r.framing === "chunked") &&
      (r.framing === "chunked" || body.length === 0 || lines.some((l) => l.startsWith("Content-Length")));
    const kind = [r.body?.kind ?? "no-body", r.framing, r.mutations.length > 0 ? "mutated" : ""].filter(Boolean).join("/");
    return { kind, method: r.method, target, bytes, framed };
  });
