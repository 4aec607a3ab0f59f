/** The Server-Sent Events wire format. */
import { describe, expect, it } from "vitest";
import { formatEvent } from "../../src/index.ts";

describe("formatEvent", () => {
  it("sends objects as JSON and strings as they are", () => {
    expect(formatEvent({ data: { count: 1, text: "a\nb" } })).toBe('data: {"count":1,"text":"a\\nb"}\n\n');
    expect(formatEvent({ data: "plain" })).toBe("data: plain\n\n");
    expect(formatEvent("shorthand")).toBe("data: shorthand\n\n");
    expect(formatEvent({ data: null })).toBe("data: null\n\n");
  });

  it("splits multi-line string data into one data line per line (any line break)", () => {
    expect(formatEvent({ data: "one\ntwo\r\nthree\rfour" })).toBe("data: one\ndata: two\ndata: three\ndata: four\n\n");
  });

  it("writes comments, id, event name and retry", () => {
    expect(formatEvent({ comment: "hello\nworld", id: 7, event: "tick", retry: 3000, data: [1] })).toBe(
      ": hello\n: world\nid: 7\nevent: tick\nretry: 3000\ndata: [1]\n\n",
    );
    expect(formatEvent({ comment: "keep-alive" })).toBe(": keep-alive\n\n");
  });

  it("refuses fields that would break the stream", () => {
    expect(() => formatEvent({ event: "a\nb" })).toThrow(TypeError);
    expect(() => formatEvent({ id: "1\r2" })).toThrow(TypeError);
    expect(() => formatEvent({ id: "a\0" })).toThrow(TypeError);
    expect(() => formatEvent({ retry: -1 })).toThrow(TypeError);
    expect(() => formatEvent({ retry: 1.5 })).toThrow(TypeError);
    expect(() => formatEvent(42 as never)).toThrow(/must be an object/);
  });
});
