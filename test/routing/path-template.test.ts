import { describe, expect, it } from "vitest";
import { TypefastError } from "../../src/errors/typefast-error.ts";
import { parsePathTemplate } from "../../src/routing/path-template.ts";

/** Run `fn`, assert it throws a TF_ROUTE_PATH TypefastError, and return the message for further checks. */
function pathError(template: string): string {
  try {
    parsePathTemplate(template);
  } catch (error) {
    expect(error).toBeInstanceOf(TypefastError);
    expect((error as TypefastError).code).toBe("TF_ROUTE_PATH");
    expect((error as TypefastError).message).toContain(JSON.stringify(template));
    return (error as TypefastError).message;
  }
  throw new Error(`expected ${template} to be rejected`);
}

describe("parsePathTemplate: valid templates", () => {
  it("parses the root path as one empty static segment", () => {
    expect(parsePathTemplate("/")).toEqual({ template: "/", segments: [{ kind: "static", value: "" }], paramNames: [] });
  });

  it("parses static segments", () => {
    expect(parsePathTemplate("/users/me").segments).toEqual([
      { kind: "static", value: "users" },
      { kind: "static", value: "me" },
    ]);
  });

  it("keeps a trailing slash as an empty last segment", () => {
    expect(parsePathTemplate("/items/").segments).toEqual([
      { kind: "static", value: "items" },
      { kind: "static", value: "" },
    ]);
  });

  it("parses whole-segment params in order", () => {
    const parsed = parsePathTemplate("/users/{user_id}/posts/{postId}");
    expect(parsed.segments).toEqual([
      { kind: "static", value: "users" },
      { kind: "param", name: "user_id" },
      { kind: "static", value: "posts" },
      { kind: "param", name: "postId" },
    ]);
    expect(parsed.paramNames).toEqual(["user_id", "postId"]);
  });

  it("parses a :path param in the last segment", () => {
    const parsed = parsePathTemplate("/files/{file_path:path}");
    expect(parsed.segments).toEqual([
      { kind: "static", value: "files" },
      { kind: "path", name: "file_path" },
    ]);
    expect(parsed.paramNames).toEqual(["file_path"]);
  });

  it("accepts a :path param right at the root and after other params", () => {
    expect(parsePathTemplate("/{rest:path}").segments).toEqual([{ kind: "path", name: "rest" }]);
    expect(parsePathTemplate("/{a}/{b:path}").paramNames).toEqual(["a", "b"]);
  });

  it("accepts underscores and digits in names and non-ASCII static text", () => {
    expect(parsePathTemplate("/_x/{_id2}").paramNames).toEqual(["_id2"]);
    expect(parsePathTemplate("/café/ü").segments).toEqual([
      { kind: "static", value: "café" },
      { kind: "static", value: "ü" },
    ]);
  });
});

describe("parsePathTemplate: misconfiguration", () => {
  it("requires a leading slash and suggests the fix", () => {
    expect(pathError("items/{id}")).toContain('must start with "/"; write "/items/{id}"');
    expect(pathError("")).toContain('must start with "/"');
  });

  it("rejects a query string or fragment", () => {
    expect(pathError("/items?x=1")).toContain("cannot include a query string");
    expect(pathError("/items#top")).toContain("cannot include a query string");
  });

  it("rejects an unclosed brace", () => {
    expect(pathError("/items/{id")).toContain('"{" at position 7 is never closed');
  });

  it("rejects a brace closed only after a slash", () => {
    expect(pathError("/items/{id/x}")).toContain('is not closed before the next "/"');
  });

  it("rejects a stray closing brace", () => {
    expect(pathError("/items/id}")).toContain('"}" at position 9 has no matching "{"');
  });

  it("rejects nested braces", () => {
    expect(pathError("/items/{{id}}")).toContain("is nested inside");
  });

  it("rejects a param that is only part of a segment", () => {
    expect(pathError("/items/{id}.json")).toContain('the parameter in segment "{id}.json" must be the whole segment');
    expect(pathError("/items/v{id}")).toContain("must be the whole segment");
    expect(pathError("/items/{a}{b}")).toContain("must be the whole segment");
  });

  it("rejects unknown converters and points at the schema", () => {
    const message = pathError("/items/{id:int}");
    expect(message).toContain('unknown converter "int"');
    expect(message).toContain('only ":path" is supported');
    expect(message).toContain('Write "{id}"');
    expect(message).toContain("parameter's schema");
    expect(pathError("/items/{id:}")).toContain('unknown converter ""');
  });

  it("rejects a :path param that is not in the last segment", () => {
    const message = pathError("/files/{p:path}/meta");
    expect(message).toContain("must be in the last segment");
    expect(message).toContain('use "{p}"');
  });

  it("rejects duplicate param names", () => {
    expect(pathError("/a/{id}/b/{id}")).toContain('parameter "id" appears more than once');
    expect(pathError("/a/{id}/{id:path}")).toContain("appears more than once");
  });

  it("rejects invalid identifiers", () => {
    expect(pathError("/a/{1id}")).toContain('parameter name "1id" is not a valid identifier');
    expect(pathError("/a/{item-id}")).toContain('"item-id" is not a valid identifier');
    expect(pathError("/a/{ id }")).toContain("is not a valid identifier");
    expect(pathError("/a/{}")).toContain("empty parameter name");
    expect(pathError("/a/{:path}")).toContain("empty parameter name");
  });
});
