/**
 * Form body parsing: `application/x-www-form-urlencoded` (from a buffered body) and `multipart/form-data`
 * (streamed through busboy, files spooled to {@link UploadFile} storage as they arrive).
 *
 * Every failure the client can cause is an {@link HTTPException}: 400 for malformed input, 413 when a
 * {@link FormLimits} limit is exceeded, always with a message saying what was wrong. On any multipart failure the
 * uploads created so far are closed (temp files deleted) before the promise rejects, and the request stream is
 * drained so the server can still send the error response.
 */
import busboy from "busboy";
import type { Readable } from "node:stream";
import { HTTPException } from "../errors/http-exception.ts";
import { FormData, type FormValue } from "./form-data.ts";
import type { RawRequest } from "./raw.ts";
import { SpooledStorage, UploadFile } from "./upload-file.ts";

/** Limits applied while parsing a form; every one is a guard against a client exhausting memory or disk. */
export interface FormLimits {
  /** Max number of text fields (urlencoded pairs or multipart text parts). Default 1000. */
  maxFields: number;
  /** Max bytes in one text field value. Default 1 MiB. */
  maxFieldSize: number;
  /** Max number of file parts (multipart). Default 100. */
  maxFiles: number;
  /** Max bytes in one file (multipart). Default 10 MiB. */
  maxFileSize: number;
  /** Max number of parts of any kind (multipart). Default 2000. */
  maxParts: number;
  /** Bytes of an upload kept in memory before it is written to a temp file. Default 1 MiB. */
  spoolThreshold: number;
}

/** The limits used when none are given. */
export const DEFAULT_FORM_LIMITS: FormLimits = Object.freeze({
  maxFields: 1000,
  maxFieldSize: 1024 * 1024,
  maxFiles: 100,
  maxFileSize: 10 * 1024 * 1024,
  maxParts: 2000,
  spoolThreshold: 1024 * 1024,
});

function resolveLimits(limits: Partial<FormLimits> | undefined): FormLimits {
  const out = { ...DEFAULT_FORM_LIMITS };
  // Only known keys that are actually set: `{ maxFiles: undefined }` keeps the default.
  for (const key of Object.keys(out) as Array<keyof FormLimits>) out[key] = limits?.[key] ?? out[key];
  return out;
}

const tooLarge = (what: string, limit: number) =>
  new HTTPException(413, `${what} is larger than the ${limit}-byte limit`);
const tooMany = (what: string, limit: number) => new HTTPException(413, `Too many ${what}: the limit is ${limit}`);
const badMultipart = (why: string) => new HTTPException(400, `Invalid multipart body: ${why}`);
/** Client-supplied names are echoed in messages; cap them so an error response cannot be inflated at will. */
const shown = (s: string) => (s.length > 100 ? `${s.slice(0, 100)}…` : s);

// ---------------------------------------------------------------------------------------------------------------
// urlencoded

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;

/**
 * Decode one urlencoded component (`+` → space, `%XX` → byte), then the bytes as UTF-8. Works on bytes so
 * multi-byte characters split across escapes decode correctly; invalid UTF-8 becomes U+FFFD, as browsers do.
 */
function decodeComponent(buf: Buffer, from: number, to: number, fieldLabel: () => string): Buffer {
  let i = from;
  while (i < to && buf[i] !== 0x25 && buf[i] !== 0x2b) i++;
  if (i === to) return buf.subarray(from, to); // Fast path: nothing to decode.
  const out = Buffer.allocUnsafe(to - from); // Decoding never grows the data.
  let n = buf.copy(out, 0, from, i);
  for (; i < to; i++) {
    const c = buf[i];
    if (c === 0x2b) out[n++] = 0x20;
    else if (c !== 0x25) out[n++] = c;
    else {
      const hi = i + 2 < to ? hexValue(buf[i + 1]) : -1;
      const lo = hi >= 0 ? hexValue(buf[i + 2]) : -1;
      if (lo < 0) throw new HTTPException(400, `Invalid percent-encoding in form field '${shown(fieldLabel())}'`);
      out[n++] = (hi << 4) | lo;
      i += 2;
    }
  }
  return out.subarray(0, n);
}

/**
 * Parse an `application/x-www-form-urlencoded` body.
 *
 * Follows the WHATWG rules: pairs split on `&`, empty pairs skipped, a pair without `=` is a name with an empty
 * value (`a=&b` → `a: ""`, `b: ""`). Unlike browsers, a malformed `%` escape is rejected rather than kept
 * literally, because it almost always means a broken client.
 *
 * @throws HTTPException 400 on malformed percent-encoding; 413 past `maxFields` or `maxFieldSize`.
 */
export function parseUrlencoded(body: Buffer | string, limits?: Partial<FormLimits>): FormData {
  const lim = resolveLimits(limits);
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const form = new FormData();
  let count = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x26, start);
    if (end === -1) end = buf.length;
    if (end > start) {
      if (++count > lim.maxFields) throw tooMany("form fields", lim.maxFields);
      // Search for `=` only inside this pair, so a body without any `=` stays linear.
      const eq = buf.subarray(start, end).indexOf(0x3d);
      const split = eq === -1 ? end : start + eq;
      const rawName = () => buf.toString("utf8", start, split);
      const name = decodeComponent(buf, start, split, rawName).toString("utf8");
      const value = split < end ? decodeComponent(buf, split + 1, end, () => name) : Buffer.alloc(0);
      if (value.length > lim.maxFieldSize) throw tooLarge(`Form field '${shown(name)}'`, lim.maxFieldSize);
      form.append(name, value.toString("utf8"));
    }
    start = end + 1;
  }
  return form;
}

// ---------------------------------------------------------------------------------------------------------------
// multipart

/** RFC 2046 `bchars`; a boundary is 1–70 of them and must not end with a space. */
const BOUNDARY_CHARS = /^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/;
const BOUNDARY_PARAM = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i;

/** Why the Content-Type's boundary is unusable, or `undefined` when it is fine. */
function boundaryProblem(contentType: string): string | undefined {
  const m = BOUNDARY_PARAM.exec(contentType);
  if (!m) return "the Content-Type header has no boundary parameter";
  const boundary = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
  if (boundary.length === 0) return "the boundary parameter is empty";
  if (boundary.length > 70) return `the boundary is ${boundary.length} characters long (at most 70 are allowed)`;
  if (!BOUNDARY_CHARS.test(boundary)) return "the boundary contains characters not allowed by RFC 2046";
  return undefined;
}

/** Busboy's errors are terse; say what they mean for the client. */
function describeBusboyError(err: unknown): HTTPException {
  const msg = err instanceof Error ? err.message : String(err);
  if (msg === "Unexpected end of form" || msg === "Unexpected end of file")
    return badMultipart("the body ended before the closing boundary (truncated upload?)");
  if (msg === "Malformed part header") return badMultipart("a part has malformed headers");
  return badMultipart(msg.charAt(0).toLowerCase() + msg.slice(1));
}

/** Headers of a file part, rebuilt from what busboy reports (it does not expose the raw part headers). */
function partHeaders(name: string, filename: string, mimeType: string): Record<string, string> {
  const quote = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;
  const disposition = `form-data; name=${quote(name)}; filename=${quote(filename)}`;
  return { "content-disposition": disposition, "content-type": mimeType };
}

type Slot = { name: string; value?: FormValue };

/** Throw away whatever the client still sends, without buffering it, so the response can be written. */
function drain(req: RawRequest): void {
  if (!req.readableEnded && !req.destroyed) req.resume();
}

/**
 * Parse a `multipart/form-data` request body, streaming.
 *
 * Text parts become strings; parts with a filename become {@link UploadFile}s written to spooled storage as they
 * arrive. A file part *without* a filename (e.g. `Content-Type: application/octet-stream` and no `filename`, or
 * the `filename=""` a browser sends for an empty file input) is delivered as a text field, as browsers and
 * Starlette treat it; it is then subject to `maxFieldSize`. Names and filenames are decoded as UTF-8; filenames
 * lose any directory part.
 *
 * The caller owns the result and must {@link FormData.close} it. On failure nothing needs closing.
 *
 * @throws HTTPException 400 for a bad boundary, malformed part or truncated body; 413 past any {@link FormLimits}.
 */
export function parseMultipart(req: RawRequest, contentType: string, limits?: Partial<FormLimits>): Promise<FormData> {
  const lim = resolveLimits(limits);
  if (req.readableEnded) return Promise.reject(new Error("parseMultipart: the request body was already consumed"));
  const problem = boundaryProblem(contentType);
  let bb: busboy.Busboy;
  try {
    if (problem) throw badMultipart(problem);
    bb = busboy({
      headers: { "content-type": contentType },
      defCharset: "utf8",
      defParamCharset: "utf8",
      limits: {
        fields: lim.maxFields,
        files: lim.maxFiles,
        // Busboy flags a value/file as over the limit when it *reaches* the limit, and signals the parts limit
        // when the last allowed part ends; +1 makes exactly-at-the-limit input legal.
        fieldSize: lim.maxFieldSize + 1,
        fileSize: lim.maxFileSize + 1,
        parts: lim.maxParts + 1,
      },
    });
  } catch (err) {
    drain(req);
    return Promise.reject(err instanceof HTTPException ? err : describeBusboyError(err));
  }
  const parser = bb;

  return new Promise<FormData>((resolve, reject) => {
    // Values in part order. A filename-less file part only has its value when its stream ends, which can be after
    // later parts were announced, so each part reserves its slot up front.
    const slots: Slot[] = [];
    const uploads: UploadFile[] = [];
    const streams = new Set<Readable>();
    const pending: Array<Promise<void>> = [];
    let settled = false;

    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      // Busboy emits its limit events in the middle of parsing a chunk and keeps using its state afterwards, so
      // tearing it down synchronously here would crash it; wait until the current chunk is done.
      process.nextTick(() => {
        req.unpipe(parser);
        drain(req);
        for (const s of streams) s.destroy();
        parser.destroy();
        // Reject only once every upload is closed, so callers (and tests) never observe leftover temp files.
        void Promise.allSettled(pending)
          .then(() => Promise.allSettled(uploads.map((u) => u.close())))
          .then(() => reject(err));
      });
    };

    const pumpFile = async (stream: Readable, storage: SpooledStorage): Promise<void> => {
      // Storage failures (disk full…) are server errors and propagate as they are; stream failures are busboy
      // telling us the body is malformed or truncated.
      let storageError: unknown;
      const stored = (p: Promise<void>) => p.catch((err: unknown) => Promise.reject((storageError = err)));
      try {
        // Async iteration pulls one chunk at a time; awaiting each write before the next pull is what stops a
        // fast client from filling memory while the disk catches up.
        for await (const chunk of stream) await stored(storage.write(chunk as Buffer));
        await stored(storage.end());
      } catch (err) {
        fail(err === storageError ? err : describeBusboyError(err));
      } finally {
        streams.delete(stream);
      }
    };

    parser.on("field", (name, value, info) => {
      if (settled) return;
      if (info.valueTruncated) return fail(tooLarge(`Form field '${shown(name)}'`, lim.maxFieldSize));
      slots.push({ name, value });
    });

    parser.on("file", (rawName, stream, info) => {
      if (settled) {
        // A part announced after a failure (same chunk): discard it. The parser is destroyed next tick, which makes
        // this stream emit "Unexpected end of file" if the part is incomplete; without a listener that error
        // would crash the process.
        stream.on("error", () => undefined);
        return void stream.resume();
      }
      const name = rawName ?? "";
      streams.add(stream);
      if (info.filename === undefined) {
        const slot: Slot = { name };
        slots.push(slot);
        const chunks: Buffer[] = [];
        let size = 0;
        // Busboy still applies its file-size limit to this part, so the effective cap is the smaller of the two.
        const max = Math.min(lim.maxFieldSize, lim.maxFileSize);
        const tooBig = () => fail(tooLarge(`Form field '${shown(name)}'`, max));
        stream.on("limit", tooBig);
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) tooBig();
          else chunks.push(chunk);
        });
        stream.on("end", () => {
          streams.delete(stream);
          slot.value = Buffer.concat(chunks).toString("utf8");
        });
        stream.on("error", (err) => fail(describeBusboyError(err)));
        return;
      }
      const storage = new SpooledStorage(lim.spoolThreshold);
      const headers = partHeaders(name, info.filename, info.mimeType);
      const file = new UploadFile({ filename: info.filename, contentType: info.mimeType, headers }, storage);
      uploads.push(file);
      slots.push({ name, value: file });
      stream.on("limit", () => fail(tooLarge(`File '${shown(info.filename ?? "")}'`, lim.maxFileSize)));
      pending.push(pumpFile(stream, storage));
    });

    parser.on("fieldsLimit", () => fail(tooMany("form fields", lim.maxFields)));
    parser.on("filesLimit", () => fail(tooMany("files", lim.maxFiles)));
    parser.on("partsLimit", () => fail(tooMany("parts", lim.maxParts)));
    parser.on("error", (err) => fail(describeBusboyError(err)));
    parser.on("finish", () => {
      // Busboy finishes once every file stream has ended, but the last writes may still be on their way to disk.
      void Promise.all(pending).then(() => {
        if (settled) return;
        settled = true;
        const form = new FormData();
        for (const slot of slots) if (slot.value !== undefined) form.append(slot.name, slot.value);
        resolve(form);
      });
    });

    // The error listener stays attached for good: a late socket error must not become an uncaught exception.
    req.on("error", (err) => fail(badMultipart(`the request stream failed (${err.message})`)));
    // A destroyed request never ends the pipe, so without this the parser would wait forever.
    req.on("close", () => {
      if (!req.readableEnded) fail(badMultipart("the request was aborted before the body was complete"));
    });
    req.pipe(parser);
  });
}

/**
 * Parse a form body according to its Content-Type: multipart is streamed from `req`; urlencoded is read whole
 * with `readBody` (which enforces the body-size limit). Any other or missing content type yields an empty
 * {@link FormData} without touching the body, like Starlette: required form fields then fail validation (422).
 */
export async function parseForm(
  req: RawRequest,
  contentType: string | undefined,
  limits: Partial<FormLimits> | undefined,
  readBody: () => Promise<Buffer>,
): Promise<FormData> {
  const mediaType = (contentType ?? "").split(";", 1)[0].trim().toLowerCase();
  if (mediaType === "multipart/form-data") return parseMultipart(req, contentType!, limits);
  if (mediaType === "application/x-www-form-urlencoded") return parseUrlencoded(await readBody(), limits);
  return new FormData();
}
