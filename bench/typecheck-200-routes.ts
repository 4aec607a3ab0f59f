/**
 * How long TypeScript takes to check a 200-route app and a typed client calling every route (goal: under 10 s).
 *
 *   npx tsx bench/typecheck-200-routes.ts [--routes 200] [--keep]
 *
 * Generates, in a temp folder, `routes.ts` (200 routes registered statement by statement and exported, with path,
 * query, header and body parameters, and a response model or a handler result) and `client.ts`
 * (`createClient<typeof routes>` and one typed call per route, using the result). Then runs `tsc --noEmit` twice:
 * on the framework alone (one route, no client) and on the whole, and prints both times and the difference — the
 * cost of the routes and the client; then the whole again with the framework as declaration files, as a project
 * that installed the package sees it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--routes") + 1]) || 200;
const keep = args.includes("--keep");

/** One of four route shapes, by index. */
function route(i: number): { decl: string; call: string } {
  const name = `r${i}`;
  switch (i % 4) {
    case 0:
      return {
        decl: `export const ${name} = app.get("/items${i}/{item_id}", { params: { item_id: Path(z.int()), q: Query(z.string().optional()), limit: Query(z.int().default(10)) }, response: Item }, ({ item_id }) => ({ id: item_id, name: "n", price: 1 }));`,
        call: `  total += (await client.get("/items${i}/{item_id}", { path: { item_id: ${i} }, query: { q: "x" } })).price;`,
      };
    case 1:
      return {
        decl: `export const ${name} = app.post("/items${i}", { params: { item: Body(ItemCreate), x_token: Header() }, response: Item, status: 201 }, ({ item }) => ({ ...item, id: ${i} }));`,
        call: `  total += (await client.post("/items${i}", { body: { name: "a", price: 2 }, headers: { "x-token": "t" } })).id;`,
      };
    case 2:
      return {
        decl: `export const ${name} = app.put("/users${i}/{user_id}/items/{item_id}", { params: { user_id: Path(z.string()), item_id: Path(z.int()), item: Body(ItemCreate) } }, async ({ user_id, item }) => ({ owner: user_id, item, at: new Date() }));`,
        call: `  total += (await client.put("/users${i}/{user_id}/items/{item_id}", { path: { user_id: "u", item_id: 1 }, body: { name: "b", price: 3 } })).at.length;`,
      };
    default:
      return {
        decl: `export const ${name} = app.get("/search${i}", { params: { tags: Query(z.array(z.string()).default([])), page: Query(z.int().min(1).default(1)) } }, ({ tags, page }) => ({ tags, page, results: [] as { id: number }[] }));`,
        call: `  total += (await client.get("/search${i}", { query: { tags: ["a"], page: 2 } })).results.length;`,
      };
  }
}

function project(dir: string, routes: number, withClient: boolean, framework: string): void {
  const typefast = JSON.stringify(relative(dir, framework));
  const shapes = Array.from({ length: routes }, (_, i) => route(i));
  writeFileSync(
    join(dir, "routes.ts"),
    [
      `import { z } from "zod";`,
      `import { App, Body, Header, Path, Query } from ${typefast};`,
      `const Item = z.object({ id: z.int(), name: z.string(), price: z.number() });`,
      `const ItemCreate = Item.omit({ id: true });`,
      `export const app = new App({ title: "Bench" });`,
      ...shapes.map((s) => s.decl),
      "",
    ].join("\n"),
  );
  const client = withClient
    ? [
        `import { createClient } from ${typefast};`,
        `import type * as routes from "./routes.ts";`,
        `const client = createClient<typeof routes>("http://127.0.0.1:8000");`,
        `export async function callAll(): Promise<number> {`,
        `  let total = 0;`,
        ...shapes.map((s) => s.call),
        `  return total;`,
        `}`,
        "",
      ]
    : ["export {};", ""];
  writeFileSync(join(dir, "client.ts"), client.join("\n"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      // The project's own options, so the framework sources check exactly as in `npm test`.
      extends: join(root, "tsconfig.json"),
      compilerOptions: { noEmit: true, declaration: false, sourceMap: false, rootDir: "/" },
      files: ["routes.ts", "client.ts"],
      include: [],
    }),
  );
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
}

/** Runs tsc on `dir` (through a wrapper that reports its CPU time: the machine may be busy with other work). */
function check(dir: string, wrapper: string): { wall: number; cpu: number; checkTime: string; instantiations: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [wrapper, "-p", dir, "--extendedDiagnostics"], { encoding: "utf8" });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    const errors = result.stdout.split("\n").filter((l) => l.includes("error")).slice(0, 20).join("\n");
    throw new Error(`tsc found errors in the generated project (${dir}):\n${errors}`);
  }
  const field = (name: string) => new RegExp(`^${name}:\\s+(.+)$`, "m").exec(result.stdout)?.[1]?.trim() ?? "?";
  const cpu = Number(/^CPU (\S+)$/m.exec(result.stderr)?.[1] ?? NaN);
  return { wall, cpu, checkTime: field("Check time"), instantiations: field("Instantiations") };
}

const base = mkdtempSync(join(tmpdir(), "typefast-typecheck-"));
try {
  const wrapper = join(base, "tsc-cpu.cjs");
  writeFileSync(
    wrapper,
    [
      "const start = process.cpuUsage();",
      'process.on("exit", () => { const u = process.cpuUsage(start); process.stderr.write(`CPU ${(u.user + u.system) / 1e6}\\n`); });',
      `require(${JSON.stringify(join(root, "node_modules/typescript/lib/tsc.js"))});`,
      "",
    ].join("\n"),
  );
  // What an installed package gives: the framework as declaration files (checked with skipLibCheck).
  const dts = join(base, "typefast-dts");
  const emitted = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", dts], { encoding: "utf8" });
  if (emitted.status !== 0) throw new Error(`emitting the framework's declarations failed:\n${emitted.stdout}`);
  const sources = join(root, "src", "index.ts");
  const results: Array<[string, ReturnType<typeof check>]> = [];
  const configs = [
    ["framework sources alone (1 route)", 1, false, sources],
    [`${count} routes, no client`, count, false, sources],
    [`${count} routes + typed client`, count, true, sources],
    [`the same, framework as .d.ts`, count, true, join(dts, "index.js")], // resolves to index.d.ts
  ] as const;
  for (const [i, [label, routes, withClient, framework]] of configs.entries()) {
    const dir = join(base, `project-${i}`);
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    project(dir, routes, withClient, framework);
    results.push([label, check(dir, wrapper)]);
  }
  for (const [label, r] of results) {
    console.log(`${label.padEnd(38)} tsc ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU (check time ${r.checkTime}, ${r.instantiations} instantiations)`);
  }
  const [baseline, , full, installed] = results.map(([, r]) => r);
  console.log(`the routes and the client add ${(full.cpu - baseline.cpu).toFixed(2)} s CPU to the framework's own sources`);
  console.log(`as a user of the installed package: ${installed.wall.toFixed(2)} s wall, ${installed.cpu.toFixed(2)} s CPU (goal < 10 s)`);
  if (keep) console.log(`generated projects kept in ${base}`);
} finally {
  if (!keep) rmSync(base, { recursive: true, force: true });
}
