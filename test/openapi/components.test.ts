import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Body, Path, Query, type Logger } from "../../src/index.ts";
import { sanitizeName } from "../../src/openapi/components.ts";
import { validDocument } from "./validate.ts";

const quiet = (): { logger: Logger; warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, logger: { error() {}, info() {}, warn: (m) => void warnings.push(m) } };
};

describe("components.schemas", () => {
  it("publishes a schema used only as input or only as output under its id", async () => {
    const In = z.object({ a: z.string().default("x") }).meta({ id: "In" });
    const Out = z.object({ b: z.string().default("y") }).meta({ id: "Out" });
    const app = new App();
    app.post("/", { params: { body: Body(In) }, response: Out }, function f() {
      return { b: "y" };
    });
    const doc = await validDocument(app);
    expect(Object.keys(doc.components!.schemas!)).toEqual(["HTTPValidationError", "In", "Out", "ValidationError"]);
    expect(doc.components!.schemas!.In.required).toBeUndefined();
    expect(doc.components!.schemas!.Out.required).toEqual(["b"]);
  });

  it("keeps one schema when input and output only differ by zod's output additionalProperties", async () => {
    const Item = z.object({ name: z.string() }).meta({ id: "Item" });
    const app = new App();
    app.post("/", { params: { item: Body(Item) }, response: Item }, function echo({ item }) {
      return item;
    });
    const doc = await validDocument(app);
    expect(doc.components!.schemas!.Item).toEqual({ type: "object", properties: { name: { type: "string" } }, required: ["name"] });
  });

  it("splits a parent whose nested schema differs between input and output", async () => {
    const Inner = z.object({ n: z.int().default(0) }).meta({ id: "Inner" });
    const Outer = z.object({ inner: Inner }).meta({ id: "Outer" });
    const app = new App();
    app.post("/", { params: { o: Body(Outer) }, response: Outer }, function echo({ o }) {
      return o;
    });
    const schemas = (await validDocument(app)).components!.schemas!;
    expect(Object.keys(schemas)).toEqual(["HTTPValidationError", "Inner-Input", "Inner-Output", "Outer-Input", "Outer-Output", "ValidationError"]);
    expect(schemas["Outer-Input"].properties).toEqual({ inner: { $ref: "#/components/schemas/Inner-Input" } });
    expect(schemas["Outer-Output"].properties).toEqual({ inner: { $ref: "#/components/schemas/Inner-Output" } });
  });

  it("deduplicates the same schema used by many routes", async () => {
    const Item = z.object({ name: z.string() }).meta({ id: "Item" });
    const app = new App();
    for (let i = 0; i < 5; i++) {
      app.get(`/items${i}`, { response: z.array(Item) }, function list() {
        return [];
      });
    }
    const doc = await validDocument(app);
    expect(Object.keys(doc.components!.schemas!)).toEqual(["Item"]);
  });

  it("names clashing ids by first use, whatever the order of components", async () => {
    const build = (first: z.ZodType, second: z.ZodType) => {
      const { logger, warnings } = quiet();
      const app = new App({ logger });
      app.get("/one", { response: first }, function one() {
        return {};
      });
      app.get("/two", { response: second }, function two() {
        return {};
      });
      return { app, warnings };
    };
    const A = z.object({ a: z.string() }).meta({ id: "Thing" });
    const B = z.object({ b: z.string() }).meta({ id: "Thing" });
    const ab = build(A, B);
    const ba = build(B, A);
    const docAB = await validDocument(ab.app);
    const docBA = await validDocument(ba.app);
    expect(docAB.components!.schemas!.Thing.properties).toHaveProperty("a");
    expect(docAB.components!.schemas!.Thing_2.properties).toHaveProperty("b");
    expect(docBA.components!.schemas!.Thing.properties).toHaveProperty("b");
    expect((docAB.paths!["/two"].get as { responses: Record<string, any> }).responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Thing_2",
    });
    expect(ab.warnings).toHaveLength(1);
    // Generating again gives the same names.
    ab.app.openapiSchema = undefined;
    expect(ab.app.openapi()).toEqual(docAB);
  });

  it("keeps unnamed schemas inline and names a recursive unnamed one", async () => {
    interface Node { name: string; children: Node[] }
    const Tree: z.ZodType<Node> = z.object({ name: z.string(), get children() { return z.array(Tree); } });
    const app = new App();
    app.get("/plain", { response: z.object({ ok: z.boolean() }) }, function plain() {
      return { ok: true };
    });
    app.get("/tree", { response: Tree }, function tree() {
      return { name: "root", children: [] };
    });
    const doc = await validDocument(app);
    const schemaOf = (p: string) => (doc.paths![p].get as { responses: Record<string, any> }).responses["200"].content["application/json"].schema;
    expect(schemaOf("/plain")).toEqual({ type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false });
    expect(schemaOf("/tree")).toEqual({ $ref: "#/components/schemas/Response_tree_tree_get" });
    expect(doc.components!.schemas!.Response_tree_tree_get).toMatchObject({
      properties: { children: { items: { $ref: "#/components/schemas/Response_tree_tree_get" } } },
    });
  });

  it("does not publish a query model that is expanded into parameters", async () => {
    const Filter = z.object({ q: z.string(), limit: z.int().default(10) }).meta({ id: "Filter" });
    const app = new App();
    app.get("/", { params: { filter: Query(Filter) } }, function search() {
      return [];
    });
    const doc = await validDocument(app);
    expect(doc.components!.schemas).not.toHaveProperty("Filter");
    expect(doc.paths!["/"].get).toMatchObject({ parameters: [{ name: "q", required: true }, { name: "limit", required: false }] });
  });

  it("publishes enums used in paths as components", async () => {
    const Model = z.enum(["alexnet", "resnet"]).meta({ id: "ModelName" });
    const app = new App();
    app.get("/models/{model}", { params: { model: Path(Model) } }, function getModel({ model }) {
      return { model };
    });
    const doc = await validDocument(app);
    expect(doc.components!.schemas!.ModelName).toEqual({ type: "string", enum: ["alexnet", "resnet"] });
  });

  it("sanitizes ids into valid component names", () => {
    expect(sanitizeName("my schema/v1")).toBe("my_schema_v1");
    expect(sanitizeName("Item.v2-x")).toBe("Item.v2-x");
    expect(sanitizeName("")).toBe("Schema");
  });
});
