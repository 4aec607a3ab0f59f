/**
 * The wire side of the fuzzer: sends raw bytes on a fresh socket, reads HTTP/1.1 responses back (Content-Length,
 * chunked or until close), and judges them — the oracle. Nothing here trusts the server: a response that cannot be
 * parsed is itself a finding.
 */
import net from "node:net";
import { gunzipSync } from "node:zlib";
import { DOCUMENTED_500_PATHS, OUTSIDE_FILE, SECRET_FIELD } from "./fuzz-app.ts";
import type { FuzzCase } from "./fuzz-requests.ts";

/** One parsed response. */
export interface WireResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** What happened on one connection. */
export interface Exchange {
  readonly responses: WireResponse[];
  /** The server closed (or reset) the connection. */
  readonly closed: boolean;
  /** Neither a complete response nor a close within the time limit. */
  readonly hung: boolean;
  /** Bytes that could not be parsed as a response. */
  readonly garbage: string | undefined;
  readonly ms: number;
}

/** A known-good request sent after framed cases, on the same connection. */
export const PROBE_REQUEST = Buffer.from("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
export const PROBE_BODY = '{"pong":true}';

type Parsed = { response: WireResponse; rest: Buffer } | "incomplete" | { error: string };

/** Parses one response from the start of `buf`; `eof` lets a body without length end at the close. */
export function parseResponse(buf: Buffer, method: string, eof: boolean): Parsed {
  const end = buf.indexOf("\r\n\r\n");
  if (end === -1) return buf.length > 64 * 1024 ? { error: "response head over 64 KiB" } : "incomplete";
  const head = buf.subarray(0, end).toString("latin1").split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(head[0]!);
  if (!m) return { error: `bad status line ${JSON.stringify(head[0]!.slice(0, 80))}` };
  const status = Number(m[1]);
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { error: `bad header line ${JSON.stringify(line.slice(0, 80))}` };
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  let at = end + 4;
  const noBody = method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304;
  if (noBody) return { response: { status, headers, body: Buffer.alloc(0) }, rest: buf.subarray(at) };
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at);
      if (lineEnd === -1) return "incomplete";
      const size = parseInt(buf.subarray(at, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) return { error: "bad chunk size" };
      if (buf.length < lineEnd + 2 + size + 2) return "incomplete";
      if (size === 0) {
        const trailerEnd = buf.indexOf("\r\n", lineEnd + 2);
        if (trailerEnd === -1) return "incomplete";
        return { response: { status, headers, body: Buffer.concat(parts) }, rest: buf.subarray(trailerEnd + 2) };
      }
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers.get("content-length");
  if (length !== undefined) {
    const n = Number(length);
    if (!Number.isSafeInteger(n) || n < 0) return { error: `bad content-length ${length}` };
    if (buf.length < at + n) return "incomplete";
    return { response: { status, headers, body: buf.subarray(at, at + n) }, rest: buf.subarray(at + n) };
  }
  if (status === 101) return { response: { status, headers, body: Buffer.alloc(0) }, rest: Buffer.alloc(0) };
  return eof ? { response: { status, headers, body: buf.subarray(at) }, rest: Buffer.alloc(0) } : "incomplete";
}

/**
 * Sends `bytes` (then, when `probe` is set, a known-good request) and collects responses until `want` responses
 * arrived, the server closed, or `timeoutMs` passed (a hang). Informational (1xx) responses are skipped.
 */
export function exchange(port: number, bytes: Buffer, methods: readonly string[], timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf: Buffer = Buffer.alloc(0);
    const responses: WireResponse[] = [];
    let done = false;
    let garbage: string | undefined;
    const finish = (closed: boolean, hung: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses, closed, hung, garbage, ms: performance.now() - started });
    };
    const drain = (eof: boolean) => {
      while (responses.length < methods.length && buf.length > 0) {
        const parsed = parseResponse(buf, methods[responses.length]!, eof);
        if (parsed === "incomplete") return;
        if ("error" in parsed) {
          garbage = `${parsed.error}: ${JSON.stringify(buf.subarray(0, 200).toString("latin1"))}`;
          return finish(true, false);
        }
        buf = parsed.rest;
        if (parsed.response.status >= 100 && parsed.response.status < 200 && parsed.response.status !== 101) continue;
        responses.push(parsed.response);
        // After a protocol switch the bytes are WebSocket frames, not responses.
        if (parsed.response.status === 101) return finish(false, false);
      }
      if (responses.length === methods.length) finish(false, false);
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      drain(false);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      drain(true);
      finish(true, false);
    });
    socket.on("connect", () => socket.write(bytes));
  });
}

/** A finding: what went wrong with which case. */
export interface Finding {
  readonly reason: string;
  readonly fuzzCase: FuzzCase;
  readonly exchange?: Exchange;
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|node:internal|\/src\/[\w/-]+\.ts/;
const LEAKS = [SECRET_FIELD, OUTSIDE_FILE];

/** The path of a request target, before percent-decoding (what DOCUMENTED_500_PATHS names). */
function pathOf(target: string): string {
  const q = target.indexOf("?");
  return q === -1 ? target : target.slice(0, q);
}

/** Runs one case: what happened on the wire, and what the oracle found wrong with it (if anything). */
export async function runCase(port: number, c: FuzzCase, timeoutMs: number): Promise<{ exchange: Exchange; finding: Finding | undefined }> {
  const bytes = c.framed ? Buffer.concat([c.bytes, PROBE_REQUEST]) : c.bytes;
  const methods = c.framed ? [c.method, "GET"] : [c.method];
  const ex = await exchange(port, bytes, methods, timeoutMs);
  return { exchange: ex, finding: judge(c, ex) };
}

/** The oracle. */
export function judge(c: FuzzCase, ex: Exchange): Finding | undefined {
  const fail = (reason: string): Finding => ({ reason, fuzzCase: c, exchange: ex });
  if (ex.garbage !== undefined) return fail(`unparseable response: ${ex.garbage}`);
  if (ex.hung) return fail(`no response and no close within the time limit (${ex.responses.length} response(s) so far)`);
  if (c.framed && ex.responses.length === 0) return fail("a well-framed request was not answered");
  for (const [i, r] of ex.responses.entries()) {
    const body = r.body.toString("latin1");
    if (r.status >= 500) {
      const documented = i === 0 && r.status === 500 && DOCUMENTED_500_PATHS.includes(pathOf(c.target));
      if (!documented) return fail(`status ${r.status}`);
    }
    if (r.status === 500 && body !== '{"detail":"Internal Server Error"}') return fail(`500 with an unexpected body ${JSON.stringify(body.slice(0, 200))}`);
    const encoding = r.headers.get("content-encoding");
    const text = encoding === "gzip" ? gunzipText(r.body) : body;
    if (STACK_TRACE.test(text)) return fail("a response body contains a stack trace or a source path");
    for (const leak of LEAKS) if (text.includes(leak)) return fail(`a response body leaks ${JSON.stringify(leak)}`);
  }
  // The probe sent after a framed case is answered correctly, unless the server closed the connection first.
  if (c.framed && ex.responses.length === 2) {
    const probe = ex.responses[1]!;
    // A body the route did not read is still drained by Node before the next request: when that outlasts
    // requestTimeout (a megabyte in 4-byte chunks can), the connection ends with a 408 instead of the answer.
    const timedOut = probe.status === 408 && probe.headers.get("connection")?.toLowerCase() === "close";
    if (!timedOut && (probe.status !== 200 || probe.body.toString() !== PROBE_BODY)) {
      return fail(`the request after it on the same connection got ${probe.status} ${JSON.stringify(probe.body.toString("latin1").slice(0, 100))}`);
    }
  }
  return undefined;
}

function gunzipText(body: Buffer): string {
  try {
    return gunzipSync(body).toString("latin1");
  } catch {
    return body.toString("latin1");
  }
}
