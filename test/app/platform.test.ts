/**
 * What every request goes through: request ids and structured logs, the error envelope, health endpoints, the
 * OpenAPI document Swagger UI's Authorize reads, and the settings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SettingsError } from "../../src/index.ts";
import { DEV_ONLY_SECRET_KEY, loadSettings, makeSettings } from "../../examples/app/settings.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";
import { Client, queryCount } from "./client.ts";
import { BACKENDS, dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";

describe.each(BACKENDS)("platform on %s", (backend) => {
  let place: Place;
  let running: Running;
  let client: Client;

  beforeAll(async () => {
    place = newPlace(backend);
    running = await startApp(place);
    client = new Client(running.url);
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  it("answers liveness without touching dependencies, and readiness with each check", async () => {
    const live = await client.get("/health/live");
    expect(live.status).toBe(200);
    expect(live.body.status).toBe("alive");
    expect(queryCount(live)).toBe(0);
    const ready = await client.get("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual(backend === "postgres" ? { database: true, redis: true } : { database: true });
  });

  it("echoes or makes a request id, and stamps it on a structured access-log line", async () => {
    const given = await client.get("/items?limit=1", { headers: { "x-request-id": "trace-abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("trace-abc-123");
    const made = await client.get("/items?limit=1");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const line = running.logs.find((l) => l.request_id === "trace-abc-123" && l.msg === "request");
    expect(line).toMatchObject({ level: "info", method: "GET", path: "/items", status: 200, db_queries: 1, pid: process.pid });
    expect(typeof line?.duration_ms).toBe("number");
    expect(Date.parse(line?.time)).not.toBeNaN();
    // A header that could forge log lines is replaced, not echoed.
    const forged = await client.get("/health/live", { headers: { "x-request-id": "a b\tc" } });
    expect(forged.headers.get("x-request-id")).not.toBe("a b\tc");
  });

  it("logs the user behind a request", async () => {
    const token = await client.token("analyst");
    await client.get("/reports/summary", { token, headers: { "x-request-id": "who-did-it" } });
    expect(running.logs.find((l) => l.request_id === "who-did-it")?.user).toBe("analyst");
  });

  it("wraps every error in the same envelope", async () => {
    const missing = await client.get("/no/such/path");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error_code: "NOT_FOUND", message: "Not Found", details: null });
    const wrongMethod = await client.call("PUT", "/items");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error_code).toBe("METHOD_NOT_ALLOWED");
    expect(wrongMethod.headers.get("allow")).toContain("GET");
    const token = await client.token("demo");
    const malformed = await client.post("/items", { token, headers: { "content-type": "application/json" }, form: { "{": "" } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error_code).toBe("VALIDATION_ERROR");
  });

  it("documents the OAuth2 password flow, so Swagger UI's Authorize logs in through /token", async () => {
    const doc = (await client.get("/openapi.json")).body;
    expect(doc.components.securitySchemes.OAuth2PasswordBearer).toMatchObject({
      type: "oauth2",
      flows: { password: { tokenUrl: "token", refreshUrl: "token/refresh" } },
    });
    expect(doc.paths["/admin/users"].get.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(doc.paths["/items"].get.security).toBeUndefined();
    expect(doc.paths["/items"].post.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    const docs = await client.get("/docs");
    expect(docs.status).toBe(200);
    expect(docs.body).toContain("swagger-ui");
    // Swagger UI posts the Authorize form exactly like this.
    const login = await client.post("/token", { form: { grant_type: "password", username: "admin", password: "correct-horse-battery", scope: "" } });
    expect(login.status).toBe(200);
    expect(login.body.token_type).toBe("bearer");
  });

  it("publishes valid OpenAPI 3.1 documents whose 422s describe the error envelope", async () => {
    for (const prefix of ["", "/v1", "/v2"]) {
      const doc = (await client.get(`${prefix}/openapi.json`)).body;
      await expectValidOpenAPI(doc);
      const refs = JSON.stringify(doc);
      expect(refs).not.toContain("HTTPValidationError");
      expect(doc.components.schemas.ErrorResponse.required).toEqual(["error_code", "message", "details"]);
    }
    const doc = (await client.get("/openapi.json")).body;
    expect(doc.paths["/items"].post.responses["422"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ErrorResponse" });
  });

  it("points newcomers to the docs, the versions, the chat and the feed", async () => {
    const home = await client.get("/");
    expect(home.body).toMatchObject({ docs: "/docs", versions: { v1: "/v1/docs", v2: "/v2/docs" }, chat: "/chat", live_items: "/items/events" });
    expect(home.headers.get("server-timing")).toMatch(/^db;dur=[\d.]+;desc="0 queries", app;dur=[\d.]+$/);
  });
});

describe("settings", () => {
  it("reads the environment: names in upper case, numbers and booleans coerced", () => {
    const settings = loadSettings({ PORT: "9001", WORKERS: "2", SEED_DEMO_DATA: "false", DATABASE_URL: "postgresql://u@127.0.0.1/db", ITEM_CACHE_TTL: "2.5" });
    expect(settings).toMatchObject({ port: 9001, workers: 2, seed_demo_data: false, item_cache_ttl: 2.5, host: "127.0.0.1", sqlite_path: "data/shop.db" });
    expect(String(settings)).not.toContain("postgresql://u@"); // secrets are redacted when printed
  });

  it("lists every bad variable at once", () => {
    let error: unknown;
    try {
      loadSettings({ PORT: "eighty", LOG_LEVEL: "loud", SECRET_KEY: "short" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.map((p) => p.env).sort()).toEqual(["LOG_LEVEL", "PORT", "SECRET_KEY"]);
  });

  it("refuses the public development secret in production", () => {
    expect(() => makeSettings({ node_env: "production" })).toThrow(/SECRET_KEY/);
    expect(makeSettings({ node_env: "production", secret_key: "x".repeat(40) }).secret_key).not.toBe(DEV_ONLY_SECRET_KEY);
  });
});
