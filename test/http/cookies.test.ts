import { describe, expect, it } from "vitest";
import { parseCookies, serializeCookie } from "../../src/http/cookies.ts";

describe("parseCookies", () => {
  it("returns an empty null-prototype object for a missing or empty header", () => {
    for (const header of [undefined, ""]) {
      const cookies = parseCookies(header);
      expect(Object.keys(cookies)).toEqual([]);
      expect(Object.prototype.isPrototypeOf(cookies)).toBe(false); // inherits nothing (see NullObject)
    }
  });

  it("parses pairs and trims whitespace", () => {
    expect({ ...parseCookies("a=1; b = 2 ;c=3") }).toEqual({ a: "1", b: "2", c: "3" });
  });

  it("strips surrounding double quotes", () => {
    expect(parseCookies('theme="dark"').theme).toBe("dark");
    expect(parseCookies('x="').x).toBe('"'); // a lone quote is not a quoted string
  });

  it("percent-decodes valid escapes and keeps invalid ones raw", () => {
    expect(parseCookies("name=J%C3%B6rg").name).toBe("Jörg");
    expect(parseCookies("pct=100%").pct).toBe("100%");
    expect(parseCookies("bad=%E0%A4%A").bad).toBe("%E0%A4%A");
  });

  it("keeps the first occurrence of a name", () => {
    expect(parseCookies("id=first; id=second").id).toBe("first");
  });

  it("tolerates junk without losing the other cookies", () => {
    const cookies = parseCookies(";;  ; flag; =novalue; a=1;; b==x=y; c=");
    expect({ ...cookies }).toEqual({ a: "1", b: "=x=y", c: "" });
  });

  it("treats __proto__ as an ordinary name", () => {
    const cookies = parseCookies("__proto__=evil; ok=1");
    expect(cookies["__proto__"]).toBe("evil");
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
  });
});

describe("serializeCookie", () => {
  it("defaults to Path=/ and SameSite=Lax", () => {
    expect(serializeCookie("a", "b")).toBe("a=b; Path=/; SameSite=Lax");
  });

  it("writes every attribute", () => {
    const header = serializeCookie("sid", "xyz", {
      maxAge: 3600.7,
      expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      path: "/app",
      domain: "example.com",
      secure: true,
      httpOnly: true,
      sameSite: "strict",
      partitioned: true,
    });
    expect(header).toBe(
      "sid=xyz; Max-Age=3600; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=Strict; Partitioned",
    );
  });

  it("supports SameSite=None and omitting SameSite", () => {
    expect(serializeCookie("a", "b", { sameSite: "none", secure: true })).toBe("a=b; Path=/; Secure; SameSite=None");
    expect(serializeCookie("a", "b", { sameSite: false })).toBe("a=b; Path=/");
  });

  it("percent-encodes characters outside cookie-octet so they round-trip", () => {
    for (const value of ['a b', 'say "hi"', "x,y", "back\\slash", "100%", "Jörg 😀", "a=b"]) {
      const header = serializeCookie("v", value);
      const pair = header.split(";")[0];
      expect(pair).toMatch(/^v=[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/);
      expect(parseCookies(pair).v).toBe(value);
    }
    expect(serializeCookie("v", "plain-value_1.2")).toMatch(/^v=plain-value_1\.2;/);
  });

  it.each([["" ], ["a b"], ["a=b"], ["a;b"], ["a\r\nSet-Cookie: x"], ["naïve"], ["a,b"]])(
    "refuses the invalid name %j",
    (name) => {
      expect(() => serializeCookie(name, "v")).toThrow(/Invalid cookie name/);
    },
  );

  it.each([["a;b"], ["a\rb"], ["a\nb"], ["x\r\nSet-Cookie: admin=1"], ["nul\u0000"], ["del\u007f"], ["tab\t"]])(
    "refuses the value %j (header injection)",
    (value) => {
      expect(() => serializeCookie("session", value)).toThrow(TypeError);
      expect(() => serializeCookie("session", value)).toThrow(/Invalid value for cookie "session"/);
    },
  );

  it("refuses injection through path and domain", () => {
    expect(() => serializeCookie("a", "b", { path: "/; Domain=evil.com" })).toThrow(/Invalid path/);
    expect(() => serializeCookie("a", "b", { domain: "x.com\r\nX-Evil: 1" })).toThrow(/Invalid domain/);
  });

  it("refuses a non-finite maxAge, an invalid expires, an unknown sameSite and lone surrogates", () => {
    expect(() => serializeCookie("a", "b", { maxAge: NaN })).toThrow(/maxAge/);
    expect(() => serializeCookie("a", "b", { expires: new Date("nope") })).toThrow(/expires/);
    expect(() => serializeCookie("a", "b", { sameSite: "sometimes" as "lax" })).toThrow(/sameSite/);
    expect(() => serializeCookie("a", "\ud800")).toThrow(TypeError);
  });
});
