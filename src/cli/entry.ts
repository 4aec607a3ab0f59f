/**
 * Finding the module that builds the app and the app inside it, as `fastapi dev` does: an explicit path, else the
 * first of `main.ts`, `app.ts`, `src/main.ts`, `src/app.ts` that exists; then the export named by `--app`, else
 * `app`, `api`, the default export, or the only app the module exports.
 */
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TypefastError } from "../errors/typefast-error.ts";
import type { OpenAPIDocument } from "../openapi/types.ts";

/** Where an entry is looked for, in order, when none is given (relative to the working directory). */
export const ENTRY_CANDIDATES: readonly string[] = ["main.ts", "app.ts", "src/main.ts", "src/app.ts"];

/** What the CLI needs from an app — an `App`, from whichever copy of Typefast the entry imported. */
export interface LoadedApp {
  readonly title: string;
  readonly handle: (...args: never[]) => void;
  startup(): Promise<void>;
  shutdown(): Promise<void>;
  openapi(): OpenAPIDocument;
  readonly routes?: readonly { readonly path: string; readonly name: string }[];
}

/**
 * The absolute path of the entry module: `given` (a file, or a folder searched for the candidates), else the first
 * candidate under `cwd`. Throws `TF_CLI_ENTRY` listing what was tried.
 *
 * @example findEntry(process.cwd(), "examples/app/app.ts")
 */
export function findEntry(cwd: string, given?: string): string {
  const tried: string[] = [];
  const base = given === undefined ? cwd : resolve(cwd, given);
  if (given !== undefined) {
    if (existsSync(base) && statSync(base).isFile()) return base;
    if (!existsSync(base) || !statSync(base).isDirectory()) {
      throw new TypefastError("TF_CLI_ENTRY", `The entry ${given} does not exist (looked for ${shown(cwd, base)}).`);
    }
  }
  for (const candidate of ENTRY_CANDIDATES) {
    const path = join(base, candidate);
    if (existsSync(path) && statSync(path).isFile()) return path;
    tried.push(shown(cwd, path));
  }
  throw new TypefastError(
    "TF_CLI_ENTRY",
    `No entry module found: tried ${tried.join(", ")}. Pass the module that exports your app, e.g. \`typefast dev src/server.ts\`.`,
  );
}

/**
 * Imports the entry and picks the app: the export `name` when given, else `app`, `api`, `default`, or the only
 * app-like export. Throws `TF_CLI_APP` listing the exports found.
 *
 * @example const { app, name } = await loadApp("/srv/shop/main.ts");
 */
export async function loadApp(entry: string, name?: string): Promise<{ app: LoadedApp; name: string }> {
  const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const file = relative(process.cwd(), entry) || entry;
  if (name !== undefined) {
    if (isApp(mod[name])) return { app: mod[name], name };
    throw new TypefastError("TF_CLI_APP", `${file} has no app export named "${name}"; ${describeExports(mod)}.`);
  }
  for (const candidate of ["app", "api", "default"]) if (isApp(mod[candidate])) return { app: mod[candidate], name: candidate };
  const apps = Object.keys(mod).filter((key) => isApp(mod[key]));
  if (apps.length === 1) return { app: mod[apps[0]] as LoadedApp, name: apps[0] };
  if (apps.length > 1) {
    throw new TypefastError("TF_CLI_APP", `${file} exports several apps (${apps.join(", ")}): choose one with --app <name>.`);
  }
  throw new TypefastError(
    "TF_CLI_APP",
    `${file} exports no App; ${describeExports(mod)}. Export it (\`export const app = new App()\`) or name it with --app <name>.`,
  );
}

/** True for an object that looks like an `App` (duck-typed: the entry may import another copy of Typefast). */
export function isApp(value: unknown): value is LoadedApp {
  if (typeof value !== "object" || value === null) return false;
  const app = value as Partial<Record<keyof LoadedApp, unknown>>;
  return typeof app.handle === "function" && typeof app.startup === "function" && typeof app.openapi === "function";
}

/** The docs URL path of an app (Swagger UI, else ReDoc), or undefined when it serves none. */
export function docsPath(app: LoadedApp): string | undefined {
  const routes = app.routes ?? [];
  return (routes.find((r) => r.name === "swagger_ui_html") ?? routes.find((r) => r.name === "redoc_html"))?.path;
}

function describeExports(mod: Record<string, unknown>): string {
  const keys = Object.keys(mod);
  if (keys.length === 0) return "it has no exports";
  const kinds = keys.map((k) => `${k} (${mod[k] === null ? "null" : Array.isArray(mod[k]) ? "array" : typeof mod[k]})`);
  return `the exports found are ${kinds.join(", ")}`;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}
