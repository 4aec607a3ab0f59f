/**
 * Server-Sent Events on the wire (WHATWG HTML §9.2, "Server-sent events"): each event is a block of
 * `field: value` lines ended by a blank line.
 */

/**
 * One event. `data` that is not a string is sent as JSON; a string is sent as is (one `data:` line per line).
 * `event` names the event (browsers dispatch it to `addEventListener(event, …)`, default `"message"`), `id`
 * becomes the client's `Last-Event-ID` on reconnection, `retry` (ms) tells it how long to wait before
 * reconnecting, and `comment` lines are ignored by clients.
 *
 * @example
 * const tick: ServerSentEvent<{ count: number }> = { event: "tick", id: 7, data: { count: 7 } };
 */
export interface ServerSentEvent<T = unknown> {
  data?: T;
  event?: string;
  id?: string | number;
  retry?: number;
  comment?: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Encodes one event. A bare string is shorthand for `{ data: string }`. Throws a `TypeError` for an `event` or
 * `id` containing a line break (it would split the event) or a `retry` that is not a non-negative integer.
 *
 * @example
 * formatEvent({ event: "tick", id: 1, data: { n: 1 } }); // "id: 1\nevent: tick\ndata: {\"n\":1}\n\n"
 */
export function formatEvent(event: ServerSentEvent | string): string {
  if (typeof event === "string") return dataLines(event) + "\n";
  if (typeof event !== "object" || event === null) {
    throw new TypeError(`An event must be an object such as { data, event, id } or a string, got ${event === null ? "null" : typeof event}`);
  }
  let out = "";
  if (event.comment !== undefined) {
    for (const line of String(event.comment).split(LINE_BREAK)) out += `: ${line}\n`;
  }
  if (event.id !== undefined) {
    const id = String(event.id);
    if (LINE_BREAK.test(id) || id.includes("\0")) throw new TypeError(`An event id cannot contain line breaks or NUL: ${JSON.stringify(id)}`);
    out += `id: ${id}\n`;
  }
  if (event.event !== undefined) {
    if (LINE_BREAK.test(event.event)) throw new TypeError(`An event name cannot contain line breaks: ${JSON.stringify(event.event)}`);
    out += `event: ${event.event}\n`;
  }
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0) throw new TypeError(`retry must be a non-negative integer of milliseconds, got ${event.retry}`);
    out += `retry: ${event.retry}\n`;
  }
  if (event.data !== undefined) {
    out += dataLines(typeof event.data === "string" ? event.data : (JSON.stringify(event.data) ?? "null"));
  }
  return out + "\n";
}

function dataLines(text: string): string {
  if (text.indexOf("\n") === -1 && text.indexOf("\r") === -1) return `data: ${text}\n`;
  let out = "";
  for (const line of text.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}
