import { describe, expect, it } from "vitest";
import { TypefastError, parseDotenv } from "../../src/index.ts";

describe("parseDotenv", () => {
  it("reads the common forms", () => {
    const text = [
      "\uFEFF# a comment",
      "",
      "PLAIN=value",
      "SPACED = spaced value   ",
      "export EXPORTED=1",
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line1\\nline2 \\"quoted\\" # kept"',
      'MULTI="first',
      'second"',
      "COMMENTED=value # comment",
      "HASH=a#b",
      "EMPTY=",
    ].join("\r\n");
    expect(parseDotenv(text)).toEqual({
      PLAIN: "value",
      SPACED: "spaced value",
      EXPORTED: "1",
      SINGLE: "literal $HOME \\n # not a comment",
      DOUBLE: 'line1\nline2 "quoted" # kept',
      MULTI: "first\nsecond",
      COMMENTED: "value",
      HASH: "a#b",
      EMPTY: "",
    });
  });

  it("names the line of a malformed entry", () => {
    expect(() => parseDotenv("A=1\nnot an assignment\n", "config/.env")).toThrow(TypefastError);
    expect(() => parseDotenv("A=1\nnot an assignment\n", "config/.env")).toThrow("config/.env, line 2: expected KEY=value.");
    expect(() => parseDotenv('A="open\n')).toThrow(/line 1: the double quote is never closed/);
    expect(() => parseDotenv("A='open\n")).toThrow(/single quote/);
  });
});
