#!/usr/bin/env node
/**
 * The `typefast` command. Registers tsx's ESM loader (so TypeScript entries — and, in a checkout, the CLI's own
 * sources — load directly), then runs `src/cli/main.ts`, or the built `dist/cli/main.js` when installed as a
 * package (so the CLI and the app share one copy of Typefast).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../", import.meta.url);

/**
 * tsx from this package, else from the project being served; `false` when neither has it. tsx's main entry (what
 * `node --import tsx` loads) handles both ES modules and CommonJS `.ts` files.
 */
async function registerTsx() {
  try {
    await import("tsx");
    return true;
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  }
  let pkg;
  try {
    pkg = createRequire(join(process.cwd(), "package.json")).resolve("tsx/package.json");
  } catch {
    return false;
  }
  // tsx's ESM entry, as its own export map names it (a `require` resolution would give the CommonJS one).
  const { exports } = JSON.parse(readFileSync(pkg, "utf8"));
  const dot = exports["."];
  const entry = typeof dot === "string" ? dot : (dot.import?.default ?? dot.import ?? dot.default);
  await import(pathToFileURL(join(dirname(pkg), entry)).href);
  return true;
}

const hasTsx = await registerTsx();
const installed = root.pathname.includes("/node_modules/");
const built = new URL("dist/cli/main.js", root);
const source = new URL("src/cli/main.ts", root);
const cli = installed && existsSync(built) ? built : source;
if (!hasTsx && cli === source) {
  process.stderr.write("typefast: the CLI needs tsx to load TypeScript; install it with `npm install --save-dev tsx`.\n");
  process.exit(1);
}
const { main } = await import(cli.href);
const code = await main(process.argv.slice(2));
// A negative code means "keep running" (a serving child); otherwise exit even if the app left handles open.
if (code >= 0) process.exit(code);
