/**
 * Watching folder trees for `typefast dev`. macOS and Windows watch a tree natively; on Linux, Node 20's
 * `recursive` mode watches files one by one and loses a file that an editor replaces by renaming (as `sed -i` and
 * many editors do), so there each folder gets its own watcher — a folder's watcher sees every entry in it change,
 * whatever the inode — and folders created later are picked up.
 */
import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";

/** Folders never watched (dependencies, VCS data, build output). */
export const IGNORED_DIRS = new Set(["node_modules", ".git", "dist", "coverage"]);

/**
 * Calls `onChange(file)` for every change under `folders`; returns a function that stops watching.
 *
 * @example const stop = watchTree(["src"], (file) => console.log("changed", file));
 */
export function watchTree(folders: readonly string[], onChange: (file: string) => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const native = process.platform === "darwin" || process.platform === "win32";

  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { recursive: native }, (_, name) => {
        if (name === null) return;
        const file = join(dir, name.toString());
        if (!native && isDir(file) && !IGNORED_DIRS.has(name.toString())) walk(file);
        onChange(file);
      });
    } catch {
      return; // removed meanwhile, or not readable
    }
    watcher.on("error", () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
  };

  const walk = (dir: string) => {
    add(dir);
    if (native) return;
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !IGNORED_DIRS.has(e.name)).map((e) => e.name);
    } catch {
      return;
    }
    for (const name of entries) walk(join(dir, name));
  };

  for (const folder of folders) walk(folder);
  return () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
