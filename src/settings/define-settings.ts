/**
 * Typed application settings from the environment and `.env` files — pydantic-settings' `BaseSettings` for
 * Typefast (seed example 41): one schema, read once, validated once, every problem reported together.
 */
import { inspect } from "node:util";
import { Depends, type Dependency } from "../di/depends.ts";
import type { OverrideHandle } from "../di/overrides.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { COERCION_ERRORS, COERCION_FAILED, coerceString } from "../schema/coerce.ts";
import { compileSchema, issuePath } from "../schema/compile.ts";
import { jsonShape } from "../schema/json-type.ts";
import type { InferInput, InferOutput, JsonSchema, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { readDotenv } from "./dotenv.ts";

/**
 * Options of {@link defineSettings}.
 *
 * @example
 * defineSettings(Schema, { envFile: [".env", ".env.local"], envPrefix: "APP_" });
 */
export interface SettingsOptions {
  /** `.env` file(s) to read, relative to the working directory; later files win; missing files are skipped. */
  envFile?: string | readonly string[];
  /** Prefix of every variable: with `"APP_"`, field `debug` is read from `APP_DEBUG`. */
  envPrefix?: string;
  /** Match variable names exactly (default `false`: `DB_HOST`, `db_host` and `Db_Host` are the same). */
  caseSensitive?: boolean;
  /** The variables to read instead of `process.env` (tests, or config from elsewhere). They win over `.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Fields to redact when printed, besides those marked `.meta({ secret: true })` (or `writeOnly`). */
  secrets?: readonly string[];
}

/**
 * One missing or invalid setting.
 *
 * @example
 * const problem: SettingsProblem = { env: "SECRET_KEY", field: "secret_key", message: "missing (required, no default)" };
 */
export interface SettingsProblem {
  /** The variable to set, e.g. `SECRET_KEY` (with `[0]`-style suffixes inside lists). */
  readonly env: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Every missing or invalid variable, listed in one message (never with a value: they may be secrets).
 *
 * @example
 * try { settings.get(); } catch (e) { if (e instanceof SettingsError) console.error(e.problems.map((p) => p.env)); }
 */
export class SettingsError extends TypefastError {
  readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[], sources: string) {
    const lines = problems.map((p) => `  ${p.env}: ${p.message}`);
    super(
      "TF_SETTINGS_INVALID",
      `Invalid settings: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${lines.join("\n")}\nSet them in ${sources}.`,
    );
    this.problems = problems;
  }
}

interface Field {
  readonly name: string;
  readonly env: string;
  readonly secret: boolean;
  readonly complex: boolean;
  readonly kinds: ReturnType<typeof jsonShape>["kinds"];
}

const REDACTED = "**********";

/**
 * The settings handle returned by {@link defineSettings}: `get()` reads and validates once and caches the result
 * (pydantic's `@lru_cache` on `get_settings`); `dependency` injects it into routes; `override()` swaps it in tests.
 *
 * @example
 * const settings = defineSettings(z.object({ secret_key: z.string().min(32).meta({ secret: true }) }), { envFile: ".env" });
 * app.get("/info", { params: { s: settings.dependency } }, ({ s }) => ({ ok: s.secret_key.length > 0 }));
 */
export class Settings<T extends object, I = Partial<T>> {
  /** Inject the settings: `params: { settings: settings.dependency }`. Override it with `dependencyOverrides`. */
  readonly dependency: Dependency<Readonly<T>>;
  readonly #schema: StandardSchemaV1;
  readonly #options: SettingsOptions;
  readonly #fields: readonly Field[];
  #value: Readonly<T> | undefined;
  #override: Readonly<T> | undefined;

  constructor(schema: StandardSchemaV1, options: SettingsOptions = {}) {
    this.#schema = schema;
    this.#options = options;
    this.#fields = describeFields(schema, options);
    this.get = this.get.bind(this);
    this.dependency = Depends(this.get) as Dependency<Readonly<T>>;
  }

  /**
   * The settings, read and validated on the first call, then cached. Throws {@link SettingsError} listing every
   * missing or invalid variable — call it at startup (or in the lifespan) so a bad deployment fails at once.
   * @example const { db_pool_size } = settings.get();
   */
  get(): Readonly<T> {
    return this.#override ?? (this.#value ??= this.#load());
  }

  /**
   * Settings built from `values` alone, as if the environment held exactly those (defaults apply, validation too),
   * until the returned handle is called. Also usable with `using`.
   * @example using _ = settings.override({ secret_key: "x".repeat(32), debug: true });
   */
  override(values: I): OverrideHandle {
    const built = this.#build(values as Record<string, unknown>, "the override values");
    this.#override = built;
    let done = false;
    const restore = (() => {
      if (done) return;
      done = true;
      if (this.#override === built) this.#override = undefined;
    }) as OverrideHandle;
    restore[Symbol.dispose] = restore;
    return restore;
  }

  /** Forgets the cached value: the next `get()` reads the environment again. @example settings.cacheClear(); */
  cacheClear(): void {
    this.#value = undefined;
  }

  /** The variable each field is read from, e.g. `{ secret_key: "SECRET_KEY" }`. @example settings.envNames() */
  envNames(): Record<string, string> {
    return Object.fromEntries(this.#fields.map((f) => [f.name, f.env]));
  }

  #load(): Readonly<T> {
    const files = this.#options.envFile === undefined ? [] : typeof this.#options.envFile === "string" ? [this.#options.envFile] : this.#options.envFile;
    const merged: Record<string, string | undefined> = {};
    for (const file of files) Object.assign(merged, readDotenv(file));
    Object.assign(merged, this.#options.env ?? process.env);
    const lookup = this.#options.caseSensitive ? merged : upperKeys(merged);
    const input: Record<string, unknown> = {};
    const problems: SettingsProblem[] = [];
    for (const field of this.#fields) {
      const raw = lookup[this.#options.caseSensitive ? field.env : field.env.toUpperCase()];
      if (raw === undefined) continue;
      const converted = convert(raw, field);
      if (converted.ok) input[field.name] = converted.value;
      else problems.push({ env: field.env, field: field.name, message: converted.message });
    }
    const sources = ["the environment", ...files].join(" or ");
    return this.#build(input, sources, problems);
  }

  #build(input: Record<string, unknown>, sources: string, problems: SettingsProblem[] = []): Readonly<T> {
    const result = this.#schema["~standard"].validate(input);
    if (result instanceof Promise) {
      throw new TypefastError("TF_SETTINGS_ASYNC", "Settings schemas must validate synchronously (no async refinements): settings are read once, before serving.");
    }
    const failed = new Set(problems.map((p) => p.field));
    for (const issue of result.issues ?? []) {
      const path = issuePath(issue);
      const field = this.#fields.find((f) => f.name === path[0]);
      if (field !== undefined && failed.has(field.name)) continue; // already reported as unparsable
      const env = (field?.env ?? String(path[0] ?? "(settings)")) + path.slice(1).map((p) => `[${JSON.stringify(p)}]`).join("");
      const missing = path.length === 1 && input[String(path[0])] === undefined;
      problems.push({ env, field: String(path[0] ?? ""), message: missing ? "missing (required, no default)" : issue.message });
    }
    if (problems.length > 0) throw new SettingsError(problems, sources);
    return redactable((result as { value: unknown }).value as T, new Set(this.#fields.filter((f) => f.secret).map((f) => f.name)));
  }
}

/**
 * Declares the app's settings: a schema whose fields are read from environment variables (field `db_pool_size`
 * or `dbPoolSize` ← `DB_POOL_SIZE`, after `envPrefix`) and `.env` files. Numbers and booleans are coerced like
 * query parameters; lists and objects are read as JSON (`ALLOWED_ORIGINS='["https://a.example"]'`). Secret
 * fields print as `**********` through `toString`, `JSON.stringify` and `console.log`.
 *
 * @example
 * const settings = defineSettings(z.object({
 *   app_name: z.string().default("My API"),
 *   debug: z.boolean().default(false),
 *   secret_key: z.string().min(32).meta({ secret: true }),
 *   db_pool_size: z.int().default(10),
 * }), { envFile: ".env" });
 * settings.get().db_pool_size; // number
 */
export function defineSettings<S extends StandardSchemaV1>(schema: S, options: SettingsOptions = {}): Settings<InferOutput<S> & object, Partial<InferInput<S>>> {
  return new Settings(schema, options);
}

function describeFields(schema: StandardSchemaV1, options: SettingsOptions): Field[] {
  const json = compileSchema(schema, "defineSettings()").inputJsonSchema();
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  if (json.type !== "object") {
    throw new TypefastError("TF_SETTINGS_SCHEMA", "defineSettings() needs an object schema, e.g. z.object({ debug: z.boolean().default(false) }).");
  }
  const secrets = new Set(options.secrets ?? []);
  return Object.entries(properties).map(([name, prop]) => {
    const shape = jsonShape({ ...prop, $defs: json.$defs });
    const alias = typeof prop.env === "string" ? prop.env : undefined;
    return {
      name,
      env: alias ?? (options.envPrefix ?? "") + envName(name),
      secret: secrets.has(name) || prop.secret === true || prop.writeOnly === true,
      complex: shape.array || shape.object,
      kinds: shape.kinds,
    };
  });
}

/** `secret_key` and `secretKey` → `SECRET_KEY`. */
function envName(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function upperKeys(vars: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(vars)) out[key.toUpperCase()] = vars[key];
  return out;
}

function convert(raw: string, field: Field): { ok: true; value: unknown } | { ok: false; message: string } {
  if (field.complex) {
    try {
      return { ok: true, value: JSON.parse(raw) };
    } catch {
      return { ok: false, message: 'should be JSON, e.g. ["a", "b"] for a list or {"key": "value"} for an object' };
    }
  }
  if (field.kinds.length === 0 || field.kinds.includes("string")) return { ok: true, value: raw };
  const value = coerceString(raw, field.kinds);
  if (value === COERCION_FAILED) return { ok: false, message: COERCION_ERRORS[field.kinds[0]!].msg };
  return { ok: true, value };
}

// Methods on the prototype, so the settings' own keys are just the fields (spread and destructuring stay plain).
function redactable<T extends object>(value: T, secrets: ReadonlySet<string>): Readonly<T> {
  const redacted = (): Record<string, unknown> => {
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) copy[key] = secrets.has(key) && v !== undefined ? REDACTED : v;
    return copy;
  };
  const proto = {
    toJSON: redacted,
    toString: () => `Settings ${JSON.stringify(redacted())}`,
    [inspect.custom]: (_depth: number, opts: object) => `Settings ${inspect(redacted(), opts)}`,
  };
  return Object.freeze(Object.assign(Object.create(proto), value)) as Readonly<T>;
}
