/**
 * A small `multipart/form-data` encoder for the test client (what a browser form with file inputs sends).
 */
import { randomBytes } from "node:crypto";

/** One file part: its name on the client, its bytes and (optionally) its media type. */
export interface FileSpec {
  /** The client-side file name sent in `Content-Disposition` (may contain any characters). */
  filename: string;
  /** The file's bytes; strings are encoded as UTF-8. */
  content: string | Uint8Array;
  /** The part's `Content-Type`; guessed from the file extension when omitted (`application/octet-stream` otherwise). */
  contentType?: string;
}

/** An encoded multipart body and the `Content-Type` header (with its boundary) to send with it. */
export interface EncodedMultipart {
  body: Buffer;
  contentType: string;
}

const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: "text/plain", html: "text/html", htm: "text/html", css: "text/css", csv: "text/csv",
  js: "text/javascript", json: "application/json", xml: "application/xml", pdf: "application/pdf",
  zip: "application/zip", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif",
  webp: "image/webp", svg: "image/svg+xml", mp3: "audio/mpeg", mp4: "video/mp4", wasm: "application/wasm",
};

/** The media type for a file name by its extension, or `application/octet-stream`. */
export function guessContentType(filename: string): string {
  const dot = filename.lastIndexOf(".");
  const extension = dot < 0 ? "" : filename.slice(dot + 1).toLowerCase();
  return TYPES_BY_EXTENSION[extension] ?? "application/octet-stream";
}

/**
 * Escape a name or file name for a `Content-Disposition` parameter the way browsers do (HTML's
 * "multipart/form-data encoding algorithm"): `"` → `%22`, CR → `%0D`, LF → `%0A`. Other characters,
 * non-ASCII included, are sent as their UTF-8 bytes.
 */
export function escapeDispositionValue(value: string): string {
  return value.replace(/["\r\n]/g, (c) => (c === '"' ? "%22" : c === "\r" ? "%0D" : "%0A"));
}

/**
 * Encode form fields and files as a `multipart/form-data` body with a random boundary.
 *
 * Fields come first (in key order; arrays repeat the name), then files. Every part ends with CRLF and the body
 * ends with the closing delimiter `--boundary--\r\n`.
 *
 * @example
 * const { body, contentType } = encodeMultipart(
 *   { description: "holiday" },
 *   { photo: { filename: "beach.png", content: pngBytes } },
 * );
 * await inject(app, { method: "POST", url: "/upload", headers: { "content-type": contentType }, body });
 */
export function encodeMultipart(
  fields: Record<string, string | string[]>,
  files: Record<string, FileSpec | FileSpec[]>,
): EncodedMultipart {
  const boundary = `----typefast-${randomBytes(16).toString("hex")}`;
  const parts: Buffer[] = [];
  const part = (headers: string[], content: string | Uint8Array): void => {
    parts.push(Buffer.from(`--${boundary}\r\n${headers.join("\r\n")}\r\n\r\n`, "utf8"));
    parts.push(typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content));
    parts.push(Buffer.from("\r\n"));
  };
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      part([`Content-Disposition: form-data; name="${escapeDispositionValue(name)}"`], String(one));
    }
  }
  for (const [name, value] of Object.entries(files)) {
    for (const file of Array.isArray(value) ? value : [value]) {
      const disposition = `form-data; name="${escapeDispositionValue(name)}"; filename="${escapeDispositionValue(file.filename)}"`;
      const type = file.contentType ?? guessContentType(file.filename);
      part([`Content-Disposition: ${disposition}`, `Content-Type: ${type}`], file.content);
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
