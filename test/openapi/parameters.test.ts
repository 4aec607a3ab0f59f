import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Cookie, Dependency, Depends, Header, Query, type OperationObject, type ParameterObject } from "../../src/index.ts";
import { validDocument } from "./validate.ts";

async function paramsOf(app: App, path = "/", method = "get"): Promise<ParameterObject[]> {
  const doc = await validDocument(app);
  return (doc.paths![path][method] as OperationObject).parameters ?? [];
}

describe("operation parameters", () => {
  it("are required exactly when the schema rejects a missing value", async () => {
    const app = new App();
    app.get(
      "/",
      {
        params: {
          plain: Query(z.string()),
          optional: Query(z.string().optional()),
          defaulted: Query(z.int().default(3)),
          nullable: Query(z.string().nullable()),
          list: Query(z.array(z.string())),
          listDefault: Query(z.array(z.string()).default([])),
        },
      },
      function f() {
        return {};
      },
    );
    const params = await paramsOf(app);
    expect(Object.fromEntries(params.map((p) => [p.name, p.required]))).toEqual({
      plain: true,
      optional: false,
      defaulted: false,
      nullable: true,
      list: true,
      listDefault: false,
    });
    expect(params.find((p) => p.name === "defaulted")!.schema).toMatchObject({ default: 3, type: "integer" });
    expect(params.find((p) => p.name === "list")!.schema).toEqual({ type: "array", items: { type: "string" } });
  });

  it("use header names as sent on the wire", async () => {
    const app = new App();
    app.get(
      "/",
      { params: { user_agent: Header(), x_raw: Header(z.string(), { convertUnderscores: false }), token: Header(z.string(), { alias: "X-Token" }) } },
      function f() {
        return {};
      },
    );
    expect((await paramsOf(app)).map((p) => p.name)).toEqual(["user-agent", "x_raw", "x-token"]);
  });

  it("include parameters of app-level and nested dependencies once (own parameters before sub-dependencies', as FastAPI)", async () => {
    const inner = Depends({ a: Query(z.string().optional()) }, function inner({ a }) {
      return a;
    });
    const outer = Depends({ b: Query(z.string().optional()), inner }, function outer({ b }) {
      return b;
    });
    const again = Depends({ a: Query(z.string().optional()) }, function again({ a }) {
      return a;
    });
    const app = new App({ dependencies: [Depends({ key: Header(z.string().optional()) }, function appKey() {})] });
    app.get("/", { params: { outer, inner, again } }, function f() {
      return {};
    });
    expect((await paramsOf(app)).map((p) => `${p.in}:${p.name}`)).toEqual(["header:key", "query:b", "query:a"]);
  });

  it("leave out hidden parameters and those a security scheme reads itself", async () => {
    const scheme = new Dependency(
      {},
      { authorization: Header(z.string().optional()) },
      () => "t",
      { useCache: true, scope: "request" },
      "custom",
      { securityScheme: { name: "Custom", scheme: { type: "http", scheme: "bearer" } } },
    );
    const app = new App();
    app.get("/", { params: { token: scheme, hidden: Query(z.string().optional(), { includeInSchema: false }), q: Query(z.string().optional()) } }, function f() {
      return {};
    });
    const doc = await validDocument(app);
    const op = doc.paths!["/"].get as OperationObject;
    expect(op.parameters!.map((p) => p.name)).toEqual(["q"]);
    expect(op.security).toEqual([{ Custom: [] }]);
    expect(doc.components!.securitySchemes).toEqual({ Custom: { type: "http", scheme: "bearer" } });
  });

  it("expand cookie and header models into one parameter per property", async () => {
    const app = new App();
    app.get(
      "/",
      {
        params: {
          cookies: Cookie(z.object({ session_id: z.string(), tracker: z.string().optional().describe("Ad tracker") })),
          headers: Header(z.object({ host: z.string(), x_tag: z.array(z.string()).default([]) })),
        },
      },
      function f() {
        return {};
      },
    );
    expect(await paramsOf(app)).toEqual([
      { name: "session_id", in: "cookie", required: true, schema: { type: "string" } },
      { name: "tracker", in: "cookie", required: false, description: "Ad tracker", schema: { type: "string", description: "Ad tracker" } },
      { name: "host", in: "header", required: true, schema: { type: "string" } },
      { name: "x_tag", in: "header", required: false, schema: { default: [], type: "array", items: { type: "string" } } },
    ]);
  });

  it("carry description, examples, title and deprecated from the parameter options", async () => {
    const app = new App();
    app.get(
      "/",
      { params: { q: Query(z.string().min(3).optional(), { description: "Search text", examples: ["shoes"], title: "Search", deprecated: true }) } },
      function f() {
        return {};
      },
    );
    expect(await paramsOf(app)).toEqual([
      {
        name: "q",
        in: "query",
        required: false,
        description: "Search text",
        deprecated: true,
        schema: { type: "string", minLength: 3, title: "Search", examples: ["shoes"] },
      },
    ]);
  });
});
