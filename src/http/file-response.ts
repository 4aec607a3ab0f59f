/**
 * {@link FileResponse}: sends a file from disk with validators (`etag`, `last-modified`), conditional requests
 * (304), byte ranges (206 / 416, including `multipart/byteranges`) and a back-pressure-aware stream.
 */
import { nullObject } from "../null-object.ts";
import type { Stats } from "node:fs";
import { open, stat as statPath, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { HTTPException } from "../errors/http-exception.ts";
import type { RawHeaders, RawResponse } from "./raw.ts";
import { Response, type ResponseInit, type SendContext } from "./response.ts";
import { writeBody } from "./streaming-response.ts";

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  html: "text/html", htm: "text/html", css: "text/css", js: "text/javascript", mjs: "text/javascript",
  json: "application/json", map: "application/json", txt: "text/plain", csv: "text/csv", xml: "application/xml",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", svg: "image/svg+xml",
  webp: "image/webp", ico: "image/vnd.microsoft.icon", pdf: "application/pdf", wasm: "application/wasm",
  zip: "application/zip", gz: "application/gzip", mp4: "video/mp4", mp3: "audio/mpeg", woff: "font/woff",
  woff2: "font/woff2",
};

/**
 * Guesses a media type from a file name's extension (case-insensitive); `application/octet-stream` otherwise.
 *
 * @example
 * guessMediaType("site/app.JS"); // "text/javascript"
 */
export function guessMediaType(path: string): string {
  const dot = path.lastIndexOf(".");
  const type = dot > path.lastIndexOf("/") ? MEDIA_TYPES[path.slice(dot + 1).toLowerCase()] : undefined;
  return type ?? "application/octet-stream";
}

/**
 * Options of {@link FileResponse}, on top of the usual status / headers / mediaType.
 *
 * @example
 * const init: FileResponseInit = { filename: "photo.jpg", contentDisposition: "inline" };
 */
export interface FileResponseInit extends ResponseInit {
  /** Name offered to the user agent in `content-disposition`; also used to guess the media type. */
  filename?: string;
  /** Defaults to `"attachment"` (download) when `filename` is given. */
  contentDisposition?: "attachment" | "inline";
  /** A `Stats` you already have, to skip the `stat` call at send time. */
  stat?: Stats;
}

/** More ranges than this in one request is abuse, not a PDF viewer: the Range header is then ignored (200). */
const MAX_RANGES = 64;

interface ByteRange {
  start: number;
  end: number; // inclusive, as in Content-Range
}

/**
 * Sends a file. Missing files and directories throw `HTTPException(404, "File not found")` before anything is
 * written. For a `200` response to GET/HEAD it answers `If-None-Match` / `If-Modified-Since` with 304, a single
 * range with 206 + `content-range`, several ranges with a 206 `multipart/byteranges` body (overlapping or adjacent
 * ranges are merged and sorted first), and unsatisfiable ranges with 416 and a `content-range` giving only the size.
 * `If-Range` is honoured; since our `etag` is weak it is matched by exact equality (it changes whenever size or
 * mtime do). Other statuses (e.g. a custom 404 page) are sent whole.
 *
 * @example
 * return new FileResponse("reports/q3.pdf", { filename: "Bericht Q3 – 2024.pdf" });
 */
export class FileResponse extends Response {
  readonly path: string;
  stat: Stats | undefined;

  constructor(path: string, init: FileResponseInit = {}) {
    const mediaType = init.mediaType ?? guessMediaType(init.filename ?? path);
    super(null, { status: init.status, headers: init.headers, mediaType });
    this.path = path;
    this.stat = init.stat;
    if (this.headers["content-disposition"] === undefined) {
      const type = init.contentDisposition ?? (init.filename !== undefined ? "attachment" : undefined);
      if (type !== undefined) this.headers["content-disposition"] = contentDisposition(type, init.filename);
    }
  }

  override async send(raw: RawResponse, ctx: SendContext): Promise<void> {
    if (raw.destroyed) return;
    const stats = this.stat ?? (await statOr404(this.path));
    if (!stats.isFile()) throw new HTTPException(404, "File not found");
    if (raw.destroyed) return; // the client left while we were waiting for stat
    const size = stats.size;
    // A copy: range handling rewrites content-type/content-range, and the same instance may be sent again.
    const headers: Record<string, string | string[]> = Object.assign(nullObject(), this.headers);
    if (headers["etag"] === undefined) headers["etag"] = `W/"${size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    if (headers["last-modified"] === undefined) headers["last-modified"] = stats.mtime.toUTCString();
    headers["accept-ranges"] = "bytes";
    const etag = String(headers["etag"]);
    const isHead = ctx.method === "HEAD";
    let status = this.status;
    let ranges: ByteRange[] | null = null;
    if (status === 200 && (isHead || ctx.method === "GET")) {
      const req = ctx.requestHeaders;
      if (notModified(req, etag, stats.mtimeMs)) {
        // A 304 describes no body: RFC 9110 §15.4.5 lists the validators to repeat, not the content metadata.
        delete headers["content-type"];
        delete headers["content-length"];
        raw.writeHead(304, headers);
        raw.end();
        return;
      }
      const range = first(req["range"]);
      if (range !== undefined && ifRangeMatches(first(req["if-range"]), etag, stats.mtimeMs)) {
        const parsed = parseRange(range, size);
        if (parsed === "unsatisfiable") {
          delete headers["content-type"];
          delete headers["content-disposition"];
          headers["content-range"] = `bytes */${size}`;
          headers["content-length"] = "0";
          raw.writeHead(416, headers);
          raw.end();
          return;
        }
        ranges = parsed;
      }
    }
    let parts: Array<ByteRange & { head?: string }> = [{ start: 0, end: size - 1 }];
    let trailer: string | undefined;
    let length = size;
    if (ranges !== null && ranges.length === 1) {
      status = 206;
      parts = ranges;
      length = ranges[0].end - ranges[0].start + 1;
      headers["content-range"] = `bytes ${ranges[0].start}-${ranges[0].end}/${size}`;
    } else if (ranges !== null) {
      status = 206;
      const boundary = randomBytes(12).toString("hex");
      const partType = first(headers["content-type"]) ?? "application/octet-stream";
      parts = ranges.map((r, i) => ({
        ...r,
        head: `${i === 0 ? "" : "\r\n"}--${boundary}\r\ncontent-type: ${partType}\r\ncontent-range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`,
      }));
      trailer = `\r\n--${boundary}--\r\n`;
      length = Buffer.byteLength(trailer);
      for (const p of parts) length += Buffer.byteLength(p.head!) + p.end - p.start + 1;
      headers["content-type"] = `multipart/byteranges; boundary=${boundary}`;
    }
    headers["content-length"] = String(length);
    if (isHead || length === 0) {
      raw.writeHead(status, headers);
      raw.end();
      return;
    }
    // Open before the head is written, so a file deleted since `stat` is still a clean 404.
    const handle = await openOr404(this.path);
    try {
      // The client may have left while we were opening; writeHead may throw on an invalid user header.
      if (raw.destroyed) return void (await handle.close());
      raw.writeHead(status, headers);
    } catch (error) {
      await handle.close();
      throw error;
    }
    // No await between the destroyed check above and writeBody starting the generator, which owns the handle.
    await writeBody(raw, fileChunks(handle, parts, trailer));
  }
}

/** Yields each part's head (multipart only) and bytes, then the trailer; closes the handle however it ends. */
async function* fileChunks(
  handle: FileHandle,
  parts: Array<ByteRange & { head?: string }>,
  trailer: string | undefined,
): AsyncGenerator<string | Uint8Array, void, undefined> {
  try {
    for (const part of parts) {
      if (part.head !== undefined) yield part.head;
      // autoClose: false keeps the handle open for the next part. `yield*` forwards return() to the stream's
      // iterator, which destroys it when the client leaves.
      yield* handle.createReadStream({ start: part.start, end: part.end, autoClose: false, highWaterMark: 64 * 1024 });
    }
    if (trailer !== undefined) yield trailer;
  } finally {
    await handle.close();
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR" || code === "ENAMETOOLONG";
}

async function statOr404(path: string): Promise<Stats> {
  try {
    return await statPath(path);
  } catch (error) {
    if (isNotFound(error)) throw new HTTPException(404, "File not found");
    throw error; // e.g. EACCES: a server problem, not the client's
  }
}

async function openOr404(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    if (isNotFound(error)) throw new HTTPException(404, "File not found");
    throw error;
  }
}

function first(value: RawHeaders[string]): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `If-None-Match` (weak comparison) wins over `If-Modified-Since` (second precision), per RFC 9110 §13.2.2. */
function notModified(req: RawHeaders, etag: string, mtimeMs: number): boolean {
  const ifNoneMatch = first(req["if-none-match"]);
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === "*") return true;
    const ours = stripWeak(etag);
    return ifNoneMatch.split(",").some((tag) => stripWeak(tag.trim()) === ours);
  }
  const since = Date.parse(first(req["if-modified-since"]) ?? "");
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

function stripWeak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function ifRangeMatches(ifRange: string | undefined, etag: string, mtimeMs: number): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(mtimeMs / 1000) === Math.floor(date / 1000);
}

/**
 * Parses `bytes=…` against `size`: `null` means "ignore the header" (bad syntax, other unit, too many ranges),
 * `"unsatisfiable"` means 416, otherwise the satisfiable ranges, sorted and merged.
 */
function parseRange(header: string, size: number): ByteRange[] | "unsatisfiable" | null {
  const match = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (match === null) return null;
  const specs = match[1].split(",");
  if (specs.length > MAX_RANGES) return null;
  const ranges: ByteRange[] = [];
  let valid = 0;
  for (const spec of specs) {
    if (spec.trim() === "") continue; // empty list elements are allowed (RFC 9110 §5.6.1)
    const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec);
    if (m === null || (m[1] === "" && m[2] === "")) return null;
    valid++;
    if (m[1] === "") {
      const suffix = Number(m[2]); // last n bytes
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(m[1]);
    const end = m[2] === "" ? Infinity : Number(m[2]);
    if (end < start) return null; // invalid, not unsatisfiable: the whole header is ignored
    if (start < size) ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (valid === 0) return null;
  if (ranges.length === 0) return "unsatisfiable";
  // Merging overlapping ranges defuses "bytes=0-,0-,0-…" amplification (RFC 9110 §14.6 allows it).
  ranges.sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [ranges[0]];
  for (const r of ranges.slice(1)) {
    const last = merged[merged.length - 1];
    if (r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push(r);
  }
  return merged;
}

/** RFC 6266: a quoted ASCII fallback, plus RFC 5987 `filename*=UTF-8''…` when the name is not plain ASCII. */
function contentDisposition(type: "attachment" | "inline", filename: string | undefined): string {
  if (filename === undefined) return type;
  // Control characters and non-ASCII cannot appear in the quoted form (and CR/LF would inject headers).
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "\\$&");
  if (!/[^\x20-\x7e]/.test(filename)) return `${type}; filename="${fallback}"`;
  let encoded = "";
  // Buffer.from turns lone surrogates into U+FFFD, so this never throws the way encodeURIComponent would.
  for (const byte of Buffer.from(filename, "utf8")) {
    const ch = String.fromCharCode(byte);
    encoded += ATTR_CHAR.test(ch) ? ch : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// RFC 5987 attr-char: everything else is percent-encoded.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
