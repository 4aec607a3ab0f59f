/**
 * Keeps the code shown in the docs identical to the runnable files it comes from. A page marks a block with the
 * file's path, relative to the repository root, on the line before the fence:
 *
 *   <!-- embed: examples/seed/30-oauth2-password-login.ts -->
 *   ```ts
 *   …the whole file, verbatim…
 *   ```
 *
 *   npm run docs:embed              # rewrite every marked block from its file (a marker alone gets a new block)
 *   npm run docs:embed -- --check   # change nothing; exit 1 and name the blocks that differ
 *
 * `test/docs/embeds.test.ts` fails when a block differs from its file.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

const MARKER = /^<!-- embed: (\S+) -->$/;
const FENCE_OPEN = /^(`{3,}|~{3,})(\S*)\s*$/;
const LANGUAGES: Readonly<Record<string, string>> = { ".ts": "ts", ".mts": "ts", ".js": "js", ".mjs": "js", ".json": "json", ".html": "html", ".sh": "sh", ".md": "md" };

/** One marked block of a page. */
export interface Embed {
  /** The embedded file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the marker. */
  readonly line: number;
  /** The block as the page has it (`undefined`: no block follows the marker). */
  readonly shown: string | undefined;
  /** The file's content (`undefined`: the file does not exist). */
  readonly source: string | undefined;
}

/** The pages that may embed files: README.md and every Markdown file under docs/ (the generated reference aside). */
export function pages(root = ROOT): string[] {
  const found = ["README.md"];
  for (const entry of readdirSync(join(root, "docs"), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".md")) continue;
    const file = relative(root, join(entry.parentPath, entry.name)).split(sep).join("/");
    if (!file.startsWith("docs/reference/")) found.push(file);
  }
  return found.sort();
}

function readSource(root: string, file: string): string | undefined {
  const path = resolve(root, file);
  if (relative(root, path).startsWith("..") || !existsSync(path)) return undefined; // only files of this repository
  return readFileSync(path, "utf8").replace(/\n+$/, "");
}

/** A fence that the content cannot close: one backtick longer than its longest run (at least three). */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((run) => run[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** CommonMark: a closing fence is the opening's character only, at least as many of it. */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trimEnd();
  return trimmed.length >= fence.length && [...trimmed].every((char) => char === fence[0]);
}

/**
 * Finds the marked blocks of a page and returns the page with each block rewritten from its file. Markers whose
 * file does not exist are left as they are (and reported with `source: undefined`).
 */
export function refresh(markdown: string, root = ROOT): { text: string; embeds: Embed[] } {
  const lines = markdown.split("\n");
  const out: string[] = [];
  const embeds: Embed[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!);
    out.push(lines[i]!);
    if (marker === null) continue;
    const file = marker[1]!;
    const source = readSource(root, file);

    // The block that follows, if any: from its opening fence to the first closing fence of the same kind.
    let shown: string | undefined;
    let end = i; // last line of the existing block
    const open = FENCE_OPEN.exec(lines[i + 1] ?? "");
    if (open !== null) {
      const fence = open[1]!;
      let close = i + 2;
      while (close < lines.length && !closes(lines[close]!, fence)) close++;
      if (close < lines.length) {
        shown = lines.slice(i + 2, close).join("\n");
        end = close;
      }
    }
    embeds.push({ file, line: i + 1, shown, source });
    if (source === undefined) {
      out.push(...lines.slice(i + 1, end + 1));
    } else {
      const fence = fenceFor(source);
      out.push(`${fence}${LANGUAGES[extname(file)] ?? ""}`, source, fence);
    }
    i = end;
  }
  return { text: out.join("\n"), embeds };
}

/** Every marked block of every page, as `page:line file` with what is wrong, or nothing when all match. */
export function problems(root = ROOT): string[] {
  const found: string[] = [];
  for (const page of pages(root)) {
    for (const embed of refresh(readFileSync(join(root, page), "utf8"), root).embeds) {
      const where = `${page}:${embed.line} (${embed.file})`;
      if (embed.source === undefined) found.push(`${where}: no such file`);
      else if (embed.shown === undefined) found.push(`${where}: no code block after the marker`);
      else if (embed.shown !== embed.source) found.push(`${where}: the block differs from the file`);
    }
  }
  return found;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv.includes("--check")) {
    const found = problems();
    for (const line of found) console.error(line);
    if (found.length > 0) {
      console.error("Run `npm run docs:embed` to refresh the blocks.");
      process.exit(1);
    }
    console.log("every embedded block matches its file");
  } else {
    let changed = 0;
    for (const page of pages()) {
      const path = join(ROOT, page);
      const before = readFileSync(path, "utf8");
      const { text, embeds } = refresh(before);
      for (const embed of embeds) if (embed.source === undefined) console.error(`${page}:${embed.line}: no such file ${embed.file}`);
      if (text !== before) {
        writeFileSync(path, text);
        changed++;
        console.log(`refreshed ${page}`);
      }
    }
    console.log(changed === 0 ? "every embedded block was up to date" : `${changed} page(s) refreshed`);
  }
}
