// The benchmarks measure Typefast as it is published and deployed: the JavaScript `npm run build` writes to dist/,
// not the TypeScript sources run through tsx (a development loader whose output runs measurably slower).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT_DIR } from "./servers.mjs";

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Runs `npm run build` unless dist/ is newer than every file in src/. */
export function ensureBuilt() {
  let built = 0;
  try {
    built = statSync(path.join(ROOT_DIR, "dist", "index.js")).mtimeMs;
  } catch {
    // not built yet
  }
  if (built > newest(path.join(ROOT_DIR, "src"))) return;
  console.log("building dist/ (npm run build) so the benchmark runs the published JavaScript…");
  const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT_DIR, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed: fix the type errors above, then run the benchmark again");
}
