import { restoreStack, withoutStack } from "../errors/no-stack.ts";
import { HTTPException } from "../errors/http-exception.ts";
import type { RawRequest } from "./raw.ts";

/** The client went away before the body was complete: there is nobody to answer. */
export class ClientDisconnectedError extends Error {
  constructor() {
    super(withoutStack("The client disconnected before sending the whole request body"));
    restoreStack();
    this.name = "ClientDisconnectedError";
  }
}

/**
 * Reads the whole request body, refusing more than `limit` bytes with 413 — up front when `Content-Length` says
 * so, or as soon as the stream passes the limit (we stop collecting; the connection is closed after the 413).
 */
export function readBody(raw: RawRequest, limit: number): Promise<Buffer> {
  const declared = raw.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  if (raw.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The listeners stay attached once settled (the request object goes away with them): removing four listeners
    // costs more per request than these guards, and an 'error' listener must stay anyway so a late socket error
    // cannot become an uncaught exception.
    let settled = false;
    raw.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        // Keep reading into the void so the socket is not stuck; the 413 closes the connection.
        raw.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    raw.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    raw.on("error", (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      // A client that went away mid-body surfaces as ECONNRESET ("aborted"): nobody is left to answer.
      reject(error.code === "ECONNRESET" ? new ClientDisconnectedError() : error);
    });
    raw.on("close", () => {
      if (settled || raw.readableEnded) return;
      settled = true;
      reject(new ClientDisconnectedError());
    });
  });
}

function tooLarge(limit: number): HTTPException {
  return new HTTPException(413, `Request body is larger than the ${limit}-byte limit`, { connection: "close" });
}

/** True for `application/json` and `application/*+json` (parameters such as charset ignored). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(";");
  const mime = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

/** The result of {@link parseJson}: a value, or FastAPI's `json_invalid` details. */
export type JsonParse = { ok: true; value: unknown } | { ok: false; position: number | undefined; message: string };

/**
 * Parses a JSON body and strips `__proto__` keys (and `constructor.prototype`) so that no later merge of the value
 * can pollute a prototype — the same defence as Fastify's secure-json-parse.
 */
export function parseJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const m = /position (\d+)/.exec(message);
    // V8 gives no position for a truncated document; FastAPI reports where the input ends.
    const position = m ? Number(m[1]) : /end of JSON input/i.test(message) ? text.length : undefined;
    return { ok: false, position, message };
  }
  // The key may also arrive escaped (`"\u005f_proto__"` parses to `__proto__`), so any `\u` escape scrubs too.
  if (typeof value === "object" && value !== null && (text.includes("__proto__") || text.includes("constructor") || text.includes("\\u"))) {
    scrub(value);
  }
  return { ok: true, value };
}

// Iterative on purpose: a deeply nested body must not overflow the stack here.
function scrub(root: object): void {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()! as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(node, "__proto__")) delete node["__proto__"];
    const ctor = Object.prototype.hasOwnProperty.call(node, "constructor") ? node.constructor : undefined;
    if (typeof ctor === "object" && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, "prototype")) {
      delete (node as { constructor?: unknown }).constructor;
    }
    for (const key in node) {
      const child = node[key];
      if (typeof child === "object" && child !== null) stack.push(child);
    }
  }
}
