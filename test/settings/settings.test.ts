/** Item 6: defineSettings — sources, coercion, one error listing every problem, redaction, injection, overrides. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { z } from "zod";
import { describe, expect, expectTypeOf, it } from "vitest";
import { App, Depends, SettingsError, TypefastError, defineSettings } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const Schema = z.object({
  app_name: z.string().default("My FastAPI App"),
  debug: z.boolean().default(false),
  secret_key: z.string().min(32).meta({ secret: true }),
  database_url: z.string().default("postgresql+asyncpg://user:pass@localhost/db"),
  db_pool_size: z.int().positive().default(10),
  allowed_origins: z.array(z.string()).default(["http://localhost:3000"]),
  jwt_secret_key: z.string().min(32).meta({ secret: true }),
  jwt_expire_minutes: z.int().default(30),
});

const SECRET = "s".repeat(40);
const JWT = "j".repeat(40);

function envFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "settings-")), ".env");
  writeFileSync(file, text);
  return file;
}

describe("defineSettings", () => {
  it("reads, coerces and types the environment, with defaults", () => {
    const settings = defineSettings(Schema, {
      env: { SECRET_KEY: SECRET, JWT_SECRET_KEY: JWT, DEBUG: "true", DB_POOL_SIZE: "25", ALLOWED_ORIGINS: '["https://myapp.com"]' },
    });
    const s = settings.get();
    expectTypeOf(s.db_pool_size).toEqualTypeOf<number>();
    expect(s).toMatchObject({ app_name: "My FastAPI App", debug: true, db_pool_size: 25, allowed_origins: ["https://myapp.com"], jwt_expire_minutes: 30 });
    expect(settings.get()).toBe(s); // validated once, cached
  });

  it("lists every missing and invalid variable in one error, without their values", () => {
    const settings = defineSettings(Schema, {
      env: { SECRET_KEY: "short-secret-value", DB_POOL_SIZE: "many", DEBUG: "perhaps", ALLOWED_ORIGINS: "https://a.com", JWT_EXPIRE_MINUTES: "1.5" },
    });
    let error: SettingsError | undefined;
    try {
      settings.get();
    } catch (e) {
      error = e as SettingsError;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toBeInstanceOf(TypefastError);
    expect(error!.code).toBe("TF_SETTINGS_INVALID");
    expect(error!.problems.map((p) => p.env).sort()).toEqual(["ALLOWED_ORIGINS", "DB_POOL_SIZE", "DEBUG", "JWT_EXPIRE_MINUTES", "JWT_SECRET_KEY", "SECRET_KEY"]);
    expect(error!.message).toMatch(/^Invalid settings: 6 problems\n/);
    expect(error!.message).toContain("  JWT_SECRET_KEY: missing (required, no default)");
    expect(error!.message).toContain("  DB_POOL_SIZE: Input should be a valid integer, unable to parse string as an integer");
    expect(error!.message).toContain("  DEBUG: Input should be a valid boolean, unable to interpret input");
    expect(error!.message).toContain('  ALLOWED_ORIGINS: should be JSON, e.g. ["a", "b"]');
    expect(error!.message).toMatch(/ {2}SECRET_KEY: .*32/);
    expect(error!.message).not.toContain("short-secret-value");
    expect(error!.message.trimEnd().endsWith("Set them in the environment.")).toBe(true);
  });

  it("reads .env files, with the environment winning and later files overriding earlier ones", () => {
    const first = envFile(`# comment\nSECRET_KEY=${SECRET}\nexport JWT_SECRET_KEY='${JWT}'\nAPP_NAME="Production API"\nDB_POOL_SIZE=5 # inline comment\n`);
    const second = envFile("DB_POOL_SIZE=7\n");
    const settings = defineSettings(Schema, { envFile: [first, second, "/no/such/.env"], env: { APP_NAME: "From Env" } });
    expect(settings.get()).toMatchObject({ app_name: "From Env", db_pool_size: 7, secret_key: SECRET, jwt_secret_key: JWT });
  });

  it("matches names case-insensitively by default, exactly when caseSensitive", () => {
    const env = { secret_key: SECRET, Jwt_Secret_Key: JWT, db_pool_size: "3" };
    expect(defineSettings(Schema, { env }).get().db_pool_size).toBe(3);
    expect(() => defineSettings(Schema, { env, caseSensitive: true }).get()).toThrow(/SECRET_KEY: missing/);
    expect(defineSettings(Schema, { env: { SECRET_KEY: SECRET, JWT_SECRET_KEY: JWT, DB_POOL_SIZE: "4" }, caseSensitive: true }).get().db_pool_size).toBe(4);
  });

  it("applies a prefix, camelCase field names and per-field names", () => {
    const settings = defineSettings(
      z.object({ poolSize: z.int().default(1), databaseUrl: z.string().meta({ env: "DATABASE_URL" }) }),
      { envPrefix: "APP_", env: { APP_POOL_SIZE: "9", DATABASE_URL: "postgres://db", APP_DATABASE_URL: "ignored" } },
    );
    expect(settings.envNames()).toEqual({ poolSize: "APP_POOL_SIZE", databaseUrl: "DATABASE_URL" });
    expect(settings.get()).toEqual({ poolSize: 9, databaseUrl: "postgres://db" });
  });

  it("redacts secrets in toString, JSON and console output, but keeps the values usable", () => {
    const s = defineSettings(Schema, { env: { SECRET_KEY: SECRET, JWT_SECRET_KEY: JWT }, secrets: ["database_url"] }).get();
    expect(s.secret_key).toBe(SECRET);
    for (const text of [String(s), JSON.stringify(s), inspect(s)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(JWT);
      expect(text).not.toContain("user:pass");
      expect(text).toContain("**********");
      expect(text).toContain("My FastAPI App");
    }
    expect({ ...s }.secret_key).toBe(SECRET);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it("is injectable, overridable with dependencyOverrides or override(), and reloadable", async () => {
    const env: Record<string, string> = { SECRET_KEY: SECRET, JWT_SECRET_KEY: JWT };
    const settings = defineSettings(Schema, { env });
    const app = new App();
    app.get("/config-info", { params: { settings: settings.dependency } }, ({ settings }) => ({ app_name: settings.app_name, debug: settings.debug }));
    const client = new TestClient(app);
    expect((await client.get("/config-info")).json()).toEqual({ app_name: "My FastAPI App", debug: false });
    {
      using _ = settings.override({ secret_key: SECRET, jwt_secret_key: JWT, debug: true });
      expect((await client.get("/config-info")).json()).toEqual({ app_name: "My FastAPI App", debug: true });
    }
    {
      using _ = app.dependencyOverrides.set(settings.get, () => ({ ...settings.get(), app_name: "Test" }));
      expect((await client.get("/config-info")).json().app_name).toBe("Test");
    }
    env.APP_NAME = "Reloaded";
    expect(settings.get().app_name).toBe("My FastAPI App");
    settings.cacheClear();
    expect(settings.get().app_name).toBe("Reloaded");
    expect(() => settings.override({ debug: true })).toThrow(/SECRET_KEY: missing/);
  });

  it("fails the app's startup when read from an app-scoped dependency", async () => {
    const settings = defineSettings(Schema, { env: {} });
    const app = new App();
    app.get("/", { params: { s: Depends(settings.get, { scope: "app" }) } }, () => ({}));
    await expect(app.startup()).rejects.toThrow(/Invalid settings: 2 problems/);
  });

  it("refuses non-object schemas", () => {
    expect(() => defineSettings(z.string())).toThrow(/needs an object schema/);
  });
});
