import { z } from "zod";
import { describe, expect, it, vi } from "vitest";
import { App, Body, generateOpenAPI, Path, Router } from "../../src/index.ts";
import * as generate from "../../src/openapi/generate.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI, validDocument } from "./validate.ts";

function itemsApp(options: ConstructorParameters<typeof App>[0] = {}): App {
  const app = new App(options);
  app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, function readItem({ item_id }) {
    return { item_id };
  });
  return app;
}

describe("app.openapi()", () => {
  it("generates once and caches: /openapi.json never regenerates", async () => {
    const app = itemsApp();
    const spy = vi.spyOn(generate, "generateOpenAPI");
    const client = new TestClient(app);
    const first = await client.get("/openapi.json");
    const second = await client.get("/openapi.json");
    expect(spy).toHaveBeenCalledTimes(1);
    expect(second.text).toBe(first.text);
    expect(app.openapi()).toBe(app.openapiSchema);
    expect(app.openapi()).toBe(app.openapi());
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("includes routes added after the first generation", async () => {
    const app = itemsApp();
    const before = app.openapi();
    app.post("/items", { params: { item: Body(z.object({ name: z.string() })) } }, function createItem({ item }) {
      return item;
    });
    const after = await validDocument(app);
    expect(after).not.toBe(before);
    expect(Object.keys(after.paths!)).toEqual(["/items/{item_id}", "/items"]);
  });

  it("regenerates after openapiSchema is reset, and serves an assigned document", () => {
    const app = itemsApp();
    const first = app.openapi();
    app.openapiSchema = undefined;
    const second = app.openapi();
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    const custom = { openapi: "3.1.0", info: { title: "Mine", version: "1" }, paths: {} };
    app.openapiSchema = custom;
    expect(app.openapi()).toBe(custom);
  });

  it("runs customizers once per generation, in order, and caches their result", async () => {
    const app = itemsApp();
    const calls: string[] = [];
    app
      .customizeOpenAPI((doc) => {
        calls.push("first");
        doc.info["x-logo"] = { url: "/logo.png" };
      })
      .customizeOpenAPI((doc, a) => {
        calls.push("second");
        expect(a).toBe(app);
        return { ...doc, "x-extra": true };
      });
    const doc = await validDocument(app);
    expect(doc.info["x-logo"]).toEqual({ url: "/logo.png" });
    expect(doc["x-extra"]).toBe(true);
    const client = new TestClient(app);
    expect((await client.get("/openapi.json")).json()["x-extra"]).toBe(true);
    expect(calls).toEqual(["first", "second"]);
  });

  it("can be replaced by a function built on generateOpenAPI (FastAPI's custom_openapi)", async () => {
    const app = itemsApp();
    let generated = 0;
    app.openapi = function customOpenAPI() {
      if (app.openapiSchema) return app.openapiSchema;
      generated++;
      const doc = generateOpenAPI({ title: "Custom title", version: "2.5.0", description: "Replaced", routes: app.routes });
      doc.info["x-logo"] = { url: "https://example.com/logo.png" };
      app.openapiSchema = doc;
      return doc;
    };
    const client = new TestClient(app);
    const res = await client.get("/openapi.json");
    await client.get("/openapi.json");
    expect(generated).toBe(1);
    expect(res.json().info).toEqual({ title: "Custom title", description: "Replaced", version: "2.5.0", "x-logo": { url: "https://example.com/logo.png" } });
    expect(Object.keys(res.json().paths)).toEqual(["/items/{item_id}"]);
    await expectValidOpenAPI(res.json());
  });

  it("documents a mounted sub-app under its root path, served at the prefix", async () => {
    const root = new App({ title: "Root" });
    root.get("/ping", {}, function ping() {
      return "pong";
    });
    const v1 = itemsApp({ title: "V1", servers: [{ url: "https://api.example.com/v1" }] });
    root.mount("/v1", v1);
    const client = new TestClient(root);
    const sub = (await client.get("/v1/openapi.json")).json();
    expect(sub.servers).toEqual([{ url: "/v1" }, { url: "https://api.example.com/v1" }]);
    expect(Object.keys(sub.paths)).toEqual(["/items/{item_id}"]);
    await expectValidOpenAPI(sub);
    const top = (await client.get("/openapi.json")).json();
    expect(top.servers).toBeUndefined();
    expect(Object.keys(top.paths)).toEqual(["/ping"]);
  });

  it("regenerates when the root path changes after a first generation", () => {
    const v1 = itemsApp();
    expect(v1.openapi().servers).toBeUndefined();
    new App().mount("/v1", v1);
    expect(v1.openapi().servers).toEqual([{ url: "/v1" }]);
  });

  it("documents webhooks declared on app.webhooks or passed as a Router", async () => {
    const Sub = z.object({ user: z.string() }).meta({ id: "Subscription" });
    const hooks = new Router();
    hooks.post("new-subscription", { params: { body: Body(Sub) } }, function newSubscription() {});
    const app = new App({ webhooks: hooks });
    expect(app.webhooks).toBe(hooks);
    app.webhooks.post("cancel", { params: { body: Body(Sub) } }, function cancelSubscription() {});
    const doc = await validDocument(app);
    expect(Object.keys(doc.webhooks!)).toEqual(["new-subscription", "cancel"]);
    expect(doc.paths).toEqual({});
    expect(doc.components!.schemas!.Subscription).toBeDefined();
  });

  it("serves nothing with openapiUrl: null, but app.openapi() still works", async () => {
    const app = itemsApp({ openapiUrl: null });
    const client = new TestClient(app);
    for (const url of ["/openapi.json", "/docs", "/redoc"]) expect((await client.get(url)).status).toBe(404);
    expect(app.openapiUrl).toBeNull();
    await validDocument(app);
  });

  it("serves the document at a custom URL", async () => {
    const app = itemsApp({ openapiUrl: "/api/v1/openapi.json" });
    const client = new TestClient(app);
    expect((await client.get("/openapi.json")).status).toBe(404);
    expect((await client.get("/api/v1/openapi.json")).json().info.title).toBe("Typefast");
    expect((await client.get("/docs")).text).toContain('"url":"/api/v1/openapi.json"');
  });
});
