/**
 * The HTTP side of a WebSocket upgrade (RFC 6455 §4.2): checking the request before any dependency runs,
 * completing the handshake when the handler calls `accept()`, and refusing it with a plain HTTP answer.
 *
 * The `ws` package does the protocol work. One `WebSocketServer` in `noServer` mode exists per distinct maximum
 * message size (its `maxPayload` is a server-wide option), without client tracking or compression, which keeps the
 * per-connection footprint at what `ws` itself needs.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket as WsSocket } from "ws";
import { STATUS_TEXT } from "../http/status.ts";

/** What arrived with the `upgrade` event, kept until the handshake is completed or refused. */
export interface Handshake {
  readonly raw: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
}

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * Why this upgrade request cannot become a WebSocket (RFC 6455 §4.2.1), or `undefined` when it can. Checked before
 * routing so that no dependency runs for a request `ws` would refuse anyway.
 */
export function invalidUpgrade(raw: IncomingMessage): string | undefined {
  if (raw.method !== "GET") return "A WebSocket handshake must use GET";
  if (String(raw.headers.upgrade).toLowerCase() !== "websocket") return "Invalid Upgrade header";
  const key = raw.headers["sec-websocket-key"];
  if (key === undefined || !KEY.test(key)) return "Missing or invalid Sec-WebSocket-Key header";
  const version = raw.headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") return "Missing or invalid Sec-WebSocket-Version header";
  return undefined;
}

/** The subprotocols the client offered, in its order of preference. */
export function offeredProtocols(headers: Record<string, string | string[] | undefined>): string[] {
  const value = headers["sec-websocket-protocol"];
  const header = Array.isArray(value) ? value.join(",") : value;
  if (header === undefined || header === "") return [];
  return header.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

const servers = new Map<number, WebSocketServer>();
// `handleUpgrade` runs synchronously up to the callback (no `verifyClient`), so the choices of the call in
// progress can live in module slots that the server's hooks read.
let pendingProtocol: string | false = false;
let pendingHeaders: readonly string[] | undefined;

function serverFor(maxPayload: number): WebSocketServer {
  let server = servers.get(maxPayload);
  if (server === undefined) {
    server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload,
      handleProtocols: () => pendingProtocol,
    });
    server.on("headers", (lines: string[]) => {
      if (pendingHeaders !== undefined) lines.push(...pendingHeaders);
    });
    servers.set(maxPayload, server);
  }
  return server;
}

/**
 * Completes the handshake (writes `101 Switching Protocols`) and returns the open socket, or `undefined` when the
 * client has already gone. `headers` are extra response headers (e.g. `Set-Cookie`).
 */
export function completeHandshake(
  handshake: Handshake,
  maxPayload: number,
  protocol: string | undefined,
  headers: Record<string, string | readonly string[]> | undefined,
): WsSocket | undefined {
  const { raw, socket, head } = handshake;
  if (socket.destroyed || !socket.readable || !socket.writable) return undefined;
  let opened: WsSocket | undefined;
  pendingProtocol = protocol ?? false;
  pendingHeaders = headers === undefined ? undefined : headerLines(headers);
  try {
    serverFor(maxPayload).handleUpgrade(raw, socket, head, (ws) => {
      opened = ws;
    });
  } finally {
    pendingProtocol = false;
    pendingHeaders = undefined;
  }
  socket.off("error", ignore);
  return opened;
}

/**
 * Refuses a client with a close frame rather than an HTTP error, so that browsers see `code` and `reason`: the
 * handshake completes (echoing the first offered subprotocol — browsers fail a handshake without one, and would
 * report 1006) and the close frame follows at once.
 */
export function refuseWithClose(handshake: Handshake, maxPayload: number, code: number, reason: string): void {
  const ws = completeHandshake(handshake, maxPayload, offeredProtocols(handshake.raw.headers)[0], undefined);
  if (ws === undefined) return;
  ws.on("error", ignore);
  ws.close(code, reason);
}

/** Answers the upgrade request with a plain HTTP response (no WebSocket) and closes the connection. */
export function refuseHandshake(socket: Duplex, status: number, detail: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ detail });
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}`, "Connection: close", "Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`];
  lines.push(...headerLines(headers));
  // Destroyed once flushed: a client that keeps its side open must not hold the socket.
  socket.once("finish", () => socket.destroy());
  socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

/** Swallows errors of a socket nobody else listens to yet (a reset during dependency resolution must not crash). */
export function ignore(): void {}

const UNSAFE = /[\r\n\0]/;

function headerLines(headers: Record<string, string | readonly string[]>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name]!;
    for (const one of typeof value === "string" ? [value] : value) {
      if (UNSAFE.test(name) || UNSAFE.test(one) || name.includes(":")) {
        throw new TypeError(`Handshake header ${JSON.stringify(name)} contains characters that would inject headers`);
      }
      out.push(`${name}: ${one}`);
    }
  }
  return out;
}
