import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Settings, app, getSettings, settings } from "../../examples/seed/41-settings.ts";
import { SettingsError, defineSettings } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const ENV = {
  SECRET_KEY: "my-very-long-secret-key-at-least-32-chars",
  JWT_SECRET_KEY: "another-very-long-secret-key-here",
  DATABASE_URL: "postgresql+asyncpg://alice:pass@localhost/prod",
  APP_NAME: "Production API",
};

describe("seed 41: settings", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    settings.cacheClear();
  });

  it("reads the environment (the .env content of the example) and injects the settings", async () => {
    Object.assign(process.env, ENV, { db_pool_size: "20" }); // case-insensitive
    settings.cacheClear();
    const res = await new TestClient(app).get("/config-info");
    expect(res.json()).toEqual({ app_name: "Production API", debug: false, db_pool_size: 20 });
    expect(getSettings()).toBe(getSettings()); // one instance per process
  });

  it("reads the same content from a .env file", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "seed41-")), ".env");
    writeFileSync(file, Object.entries(ENV).map(([k, v]) => `${k}=${v}`).join("\n"));
    const s = defineSettings(Settings, { envFile: file, env: {} }).get();
    expect(s).toMatchObject({ app_name: "Production API", database_url: ENV.DATABASE_URL, allowed_origins: ["http://localhost:3000"], jwt_expire_minutes: 30 });
  });

  it("makes a misconfigured deployment a startup failure listing every problem", () => {
    const broken = defineSettings(Settings, { env: { SECRET_KEY: "too-short", DB_POOL_SIZE: "ten", ALLOWED_ORIGINS: '["https://myapp.com"]' } });
    expect(() => broken.get()).toThrow(SettingsError);
    try {
      broken.get();
    } catch (error) {
      expect((error as SettingsError).problems.map((p) => p.env)).toEqual(["DB_POOL_SIZE", "SECRET_KEY", "JWT_SECRET_KEY"]);
      expect((error as Error).message).not.toContain("too-short");
    }
  });

  it("never prints the secrets", () => {
    const s = defineSettings(Settings, { env: ENV }).get();
    const shown = `${s} ${JSON.stringify(s)}`;
    expect(shown).not.toContain(ENV.SECRET_KEY);
    expect(shown).not.toContain(ENV.JWT_SECRET_KEY);
    expect(shown).not.toContain("alice:pass");
    expect(shown).toContain("Production API");
  });

  it("is replaced in tests with dependencyOverrides", async () => {
    using _ = app.dependencyOverrides.set(getSettings, () => defineSettings(Settings, { env: { ...ENV, DEBUG: "1" } }).get());
    expect((await new TestClient(app).get("/config-info")).json()).toEqual({ app_name: "Production API", debug: true, db_pool_size: 10 });
  });
});
