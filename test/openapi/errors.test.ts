import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Body, Depends, Query, TypefastError } from "../../src/index.ts";

/** The error thrown by `fn`, which must throw. */
function thrown(fn: () => unknown): TypefastError {
  try {
    fn();
  } catch (error) {
    return error as TypefastError;
  }
  throw new Error("expected an error");
}

describe("schemas JSON Schema cannot describe fail at registration, naming the route and parameter", () => {
  it("a query parameter", () => {
    const error = thrown(() => new App().get("/events", { params: { since: Query(z.date()) } }, function events() {}));
    expect(error).toBeInstanceOf(TypefastError);
    expect(error.code).toBe("TF_SCHEMA_JSON");
    expect(error.message).toContain("GET /events, query parameter 'since'");
  });

  it("a body parameter", () => {
    const error = thrown(() => new App().post("/events", { params: { event: Body(z.object({ at: z.date() })) } }, function events() {}));
    expect(error.code).toBe("TF_SCHEMA_JSON");
    expect(error.message).toContain("POST /events, body parameter 'event'");
  });

  it("the response model", () => {
    const error = thrown(() => new App().get("/len", { response: z.string().transform((s) => s.length) }, function len() {
      return "abc";
    }));
    expect(error.code).toBe("TF_SCHEMA_JSON");
    expect(error.message).toContain("GET /len, response model");
  });

  it("an extra response's model", () => {
    const error = thrown(() => new App().get("/x", { responses: { 404: { model: z.object({ when: z.date() }) } } }, function x() {}));
    expect(error.code).toBe("TF_SCHEMA_JSON");
    expect(error.message).toContain("GET /x, response 404 model");
  });

  it("a dependency's parameter", () => {
    const since = Depends({ since: Query(z.date()) }, function since({ since }) {
      return since;
    });
    const error = thrown(() => new App().get("/x", { params: { since } }, function x() {}));
    expect(error.code).toBe("TF_SCHEMA_JSON");
    expect(error.message).toContain("GET /x, dependency since, query parameter 'since'");
  });
});

describe("bad OpenAPI configuration fails at startup", () => {
  it("a responses key that is not a status", () => {
    const error = thrown(() => new App().get("/x", { responses: { "40": { description: "?" } } }, function x() {}));
    expect(error.code).toBe("TF_OPENAPI_RESPONSE");
    expect(error.message).toContain('GET /x: responses key "40"');
  });

  it("a responses mediaType that is not a media type", () => {
    const error = thrown(() => new App().get("/x", { responses: { 200: { model: z.string(), mediaType: "ndjson" } } }, function x() {}));
    expect(error.code).toBe("TF_OPENAPI_RESPONSE");
    expect(error.message).toContain('GET /x: responses["200"].mediaType must be a media type');
  });

  it("a docs URL that is not a path", () => {
    const error = thrown(() => new App({ docsUrl: "docs" }));
    expect(error.code).toBe("TF_DOCS_URL");
    expect(error.message).toContain("docsUrl");
  });

  it("a docs route clashing with an app route", () => {
    const app = new App();
    const error = thrown(() => app.get("/docs", {}, function myDocs() {}));
    expect(error.code).toBe("TF_ROUTE_DUPLICATE");
  });
});
