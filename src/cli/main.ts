/**
 * The `typefast` command line (started by `bin/typefast.mjs`, which loads TypeScript through tsx):
 *
 *   typefast dev [entry] [--app name] [--host h] [--port p] [--watch dir]   development server, reloads on change
 *   typefast run [entry] [--app name] [--host h] [--port p] [--workers n]   production server, graceful shutdown
 *   typefast openapi [entry] [--app name] [-o file|-] [--asyncapi]          writes the OpenAPI (or AsyncAPI) document
 *
 * The entry is found as `fastapi dev` finds it; see {@link findEntry} and `docs/cli.md`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { asyncapiDocument, type AsyncAPISource } from "../asyncapi/document.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { MAX_WORKERS } from "../server/primary.ts";
import { runChild } from "./child.ts";
import { dev } from "./dev.ts";
import { findEntry, loadApp, type LoadedApp } from "./entry.ts";
import { stderrOutput, type Output } from "./io.ts";
import { writeOpenAPI } from "./openapi.ts";
import { formatError } from "./pretty-error.ts";
import { run } from "./run.ts";

const USAGE = `usage: typefast <command> [entry] [options]

commands:
  dev [entry]       serve with reload on change (default 127.0.0.1:8000)
  run [entry]       serve for production (default 0.0.0.0:8000); --workers N forks N processes
  openapi [entry]   write the OpenAPI document (-o file, "-" for stdout; --asyncapi for the AsyncAPI one)

options:
  --app <name>      the export holding the app (default: app, api, default, or the only App exported)
  --host <host>     interface to bind (HOST)        --port <port>   port to bind (PORT; 0 picks a free one)
  --workers <n>     run: worker processes           --watch <dir>   dev: another folder to watch (repeatable)
  -o, --output      openapi: where to write         --asyncapi      openapi: write the AsyncAPI document

The entry is the module that exports your app; without one, typefast tries main.ts, app.ts, src/main.ts, src/app.ts.`;

const COMMANDS = new Set(["dev", "run", "openapi"]);

const OPTIONS = {
  app: { type: "string" },
  "app-export": { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  workers: { type: "string" },
  watch: { type: "string", multiple: true },
  output: { type: "string", short: "o" },
  asyncapi: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies ParseArgsConfig["options"];

/**
 * Runs one command and resolves to the process exit code (long-running commands resolve after their shutdown).
 *
 * @example process.exit(await main(["openapi", "src/main.ts", "-o", "openapi.json"]));
 */
export async function main(argv: readonly string[], out: Output = stderrOutput): Promise<number> {
  const [command, ...rest] = argv;
  // Dev children and `run --workers` workers (cluster re-runs the launcher with these arguments).
  if (command === "__child") {
    await runChild(rest[0] ?? "{}");
    return -1; // keeps serving; the child exits by itself
  }
  if (command === undefined || command === "help" || command === "-h" || command === "--help") {
    out.info(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === "--version" || command === "-v") {
    out.info(await version());
    return 0;
  }
  try {
    const { values, positionals } = parse(rest);
    if (values.help) {
      out.info(USAGE);
      return 0;
    }
    if (!COMMANDS.has(command)) throw usageError(`unknown command "${command}"`);
    if (positionals.length > 1) throw usageError(`unexpected argument ${positionals[1]}`);
    const bind = { app: values.app ?? values["app-export"], port: port(values.port) };
    const workers = values.workers === undefined ? undefined : workerCount(values.workers);
    const entry = findEntry(process.cwd(), positionals[0]);
    if (command === "dev") return await dev({ ...bind, entry, host: values.host ?? process.env.HOST ?? "127.0.0.1", watch: values.watch }, out);
    if (command === "run") return await run({ ...bind, entry, host: values.host ?? process.env.HOST ?? "0.0.0.0", workers }, out);
    return await exportDocument(entry, bind.app, values.output, values.asyncapi === true, out);
  } catch (error) {
    if (error instanceof TypefastError && error.code === "TF_CLI_ARGS") out.error(`typefast: ${error.message} (see \`typefast --help\`)`);
    else if (error instanceof TypefastError && error.code.startsWith("TF_CLI_")) out.error(`typefast ${command}: ${error.message}`);
    else out.error(formatError(error, process.cwd(), process.stderr.isTTY === true).trimEnd());
    return 1;
  }
}

async function exportDocument(entry: string, name: string | undefined, output: string | undefined, asyncapi: boolean, out: Output): Promise<number> {
  const loaded = await loadApp(entry, name);
  const file = relative(process.cwd(), entry);
  if (!asyncapi) {
    const { path, document } = await writeOpenAPI({ entry, output, appExport: loaded.name });
    const count = Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
    if (path !== "-") out.info(`Wrote the OpenAPI document of ${document.info.title} (${plural(count, "operation")}) to ${shown(path)}`);
    return 0;
  }
  const document = asyncapiOf(loaded.app, file);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (output === "-") {
    process.stdout.write(text);
    return 0;
  }
  const path = resolve(output ?? "asyncapi.json");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  out.info(`Wrote the AsyncAPI document of ${loaded.app.title} (${plural(Object.keys(document.channels ?? {}).length, "channel")}) to ${shown(path)}`);
  return 0;
}

/** The app's own `asyncapi()` when it has one, else the document built from its WebSocket routes. */
function asyncapiOf(app: LoadedApp, file: string): { channels?: Record<string, unknown> } {
  const own = (app as { asyncapi?: () => { channels?: Record<string, unknown> } }).asyncapi;
  if (typeof own === "function") return own.call(app);
  if (!Array.isArray((app as Partial<AsyncAPISource>).websocketRoutes)) {
    throw new TypefastError("TF_CLI_APP", `the app of ${file} has no WebSocket routes to document (no websocketRoutes).`);
  }
  return asyncapiDocument(app as unknown as AsyncAPISource);
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message.split("\n")[0].replace(/\. To specify a positional.*$/, "") : String(error));
  }
}

function port(value: string | undefined): number {
  const raw = value ?? process.env.PORT ?? "8000";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usageError(`--port must be a port number (0-65535), got "${raw}"`);
  return n;
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw usageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${value}"`);
  return n;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function usageError(message: string): TypefastError {
  return new TypefastError("TF_CLI_ARGS", message);
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `typefast ${pkg.version}`;
}
