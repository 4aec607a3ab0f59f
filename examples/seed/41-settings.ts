/**
 * Seed example 41 — configuration with typed settings.
 *
 * `defineSettings` reads environment variables and a `.env` file into a validated, typed object, once (the
 * `@lru_cache` of the original is built in). Every missing or invalid variable is reported in one startup error;
 * the secret fields never appear in logs. `settings.dependency` injects it, `dependencyOverrides` replaces it in tests.
 */
import { z } from "zod";
import { App, Depends, defineSettings } from "../../src/index.ts";

export const Settings = z.object({
  // Application settings
  app_name: z.string().default("My FastAPI App"), // APP_NAME
  debug: z.boolean().default(false), // DEBUG=true enables debug mode
  secret_key: z.string().min(32).meta({ secret: true }), // required, at least 32 characters

  // Database settings
  database_url: z.string().default("postgresql+asyncpg://user:pass@localhost/db").meta({ secret: true }), // holds a password
  db_pool_size: z.int().default(10),

  // CORS settings: ALLOWED_ORIGINS='["https://myapp.com"]' (a JSON array)
  allowed_origins: z.array(z.string()).default(["http://localhost:3000"]),

  // JWT settings
  jwt_secret_key: z.string().min(32).meta({ secret: true }),
  jwt_expire_minutes: z.int().default(30),
});

export const settings = defineSettings(Settings, {
  envFile: ".env", // read if present; real environment variables win
  caseSensitive: false, // DB_POOL_SIZE and db_pool_size both work
});

/** `get_settings()`: the same validated object on every call. */
export const getSettings = settings.get;

export const app = new App();

app.get("/config-info", { params: { settings: Depends(getSettings) } }, ({ settings }) => ({
  app_name: settings.app_name,
  debug: settings.debug,
  db_pool_size: settings.db_pool_size,
  // Never return secret_key or jwt_secret_key!
}));

// .env file content:
// SECRET_KEY=my-very-long-secret-key-at-least-32-chars
// JWT_SECRET_KEY=another-very-long-secret-key-here
// DATABASE_URL=postgresql+asyncpg://alice:pass@localhost/prod
// APP_NAME=Production API
