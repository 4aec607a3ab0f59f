/**
 * Writing an app's OpenAPI document to a file, for client generators and API gateways. `typefast openapi` (see
 * `main.ts` and `docs/cli.md`) uses {@link writeOpenAPI}; this module also runs on its own with tsx:
 *
 *   npx tsx src/cli/openapi.ts examples/app/app.ts -o openapi.json
 *
 * The entry must export the app (as `app`, or the name given with `--app-export`) without starting a server.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TypefastError } from "../errors/typefast-error.ts";
import type { OpenAPIDocument } from "../openapi/types.ts";

/** Inputs of {@link writeOpenAPI}. */
export interface WriteOpenAPIOptions {
  /** The module exporting the app (a path, relative to `cwd`). */
  entry: string;
  /** Where to write (default `openapi.json`); `"-"` writes to standard output. */
  output?: string;
  /** The export holding the app (default `app`). */
  appExport?: string;
  /** Base of relative paths (default `process.cwd()`). */
  cwd?: string;
}

/** Anything with an `openapi()` method — an `App`, whichever copy of Typefast the entry imported. */
interface DocumentedApp {
  openapi(): OpenAPIDocument;
}

/**
 * Loads the entry, finds the app and writes its document as indented JSON. Returns the absolute path written
 * (or `"-"`) and the document.
 *
 * @example
 * const { path } = await writeOpenAPI({ entry: "src/main.ts", output: "openapi.json" });
 */
export async function writeOpenAPI(options: WriteOpenAPIOptions): Promise<{ path: string; document: OpenAPIDocument }> {
  const cwd = options.cwd ?? process.cwd();
  const name = options.appExport ?? "app";
  const entry = resolve(cwd, options.entry);
  const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const app = mod[name];
  if (!isDocumentedApp(app)) {
    const apps = Object.keys(mod).filter((k) => isDocumentedApp(mod[k]));
    const hint = apps.length > 0 ? `it exports an app as ${apps.map((a) => `"${a}"`).join(", ")}: pass --app-export ${apps[0]}` : "export the App instance, e.g. `export const app = new App()`";
    throw new TypefastError("TF_CLI_APP", `${options.entry} has no app export named "${name}"; ${hint}.`);
  }
  const document = app.openapi();
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.output === "-") {
    process.stdout.write(text);
    return { path: "-", document };
  }
  const path = resolve(cwd, options.output ?? "openapi.json");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return { path, document };
}

/** Parses `<entry> [-o file] [--app-export name]`. */
export function parseArgs(argv: readonly string[]): WriteOpenAPIOptions {
  const usage = "usage: typefast openapi <entry> [-o file|-] [--app-export name]";
  let entry: string | undefined;
  let output: string | undefined;
  let appExport: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TypefastError("TF_CLI_ARGS", `${arg} needs a value; ${usage}`);
      return v;
    };
    if (arg === "-o" || arg === "--output") output = value();
    else if (arg.startsWith("--output=")) output = arg.slice("--output=".length);
    else if (arg === "--app-export") appExport = value();
    else if (arg.startsWith("--app-export=")) appExport = arg.slice("--app-export=".length);
    else if (arg === "-h" || arg === "--help") throw new TypefastError("TF_CLI_HELP", usage);
    else if (arg.startsWith("-") && arg !== "-") throw new TypefastError("TF_CLI_ARGS", `unknown option ${arg}; ${usage}`);
    else if (entry === undefined) entry = arg;
    else throw new TypefastError("TF_CLI_ARGS", `unexpected argument ${arg}; ${usage}`);
  }
  if (entry === undefined) throw new TypefastError("TF_CLI_ARGS", `the entry module is missing; ${usage}`);
  return { entry, output, appExport };
}

/** The command: parses `argv`, writes the document, reports where. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    const { path, document } = await writeOpenAPI(options);
    const count = Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
    if (path !== "-") process.stderr.write(`Wrote the OpenAPI document of ${document.info.title} (${count} operations) to ${path}\n`);
    return 0;
  } catch (error) {
    const help = error instanceof TypefastError && error.code === "TF_CLI_HELP";
    process.stderr.write(`${help ? "" : "typefast openapi: "}${error instanceof Error ? error.message : String(error)}\n`);
    return help ? 0 : 1;
  }
}

function isDocumentedApp(value: unknown): value is DocumentedApp {
  return typeof value === "object" && value !== null && typeof (value as DocumentedApp).openapi === "function";
}

// Run as a script (not when imported by the `typefast` launcher or by tests).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // Exit explicitly: the entry module may have opened handles (database pools) that would keep Node alive.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
