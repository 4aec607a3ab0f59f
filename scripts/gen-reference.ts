/**
 * Generates the API reference, `docs/reference/`, from the JSDoc of the public entry points (`typefast`,
 * `typefast/testing`, `typefast/security`, `typefast/client`) with TypeDoc and typedoc-plugin-markdown; the
 * options are in `typedoc.json`.
 *
 *   npm run docs:reference                      # regenerate docs/reference/
 *   npm run docs:reference -- --undocumented    # also list what the JSDoc of the public exports lacks
 *
 * The index page records a fingerprint of everything the output depends on (the sources, the TypeScript and
 * TypeDoc configuration, the lockfile). `test/docs/reference.test.ts` accepts a matching fingerprint as proof that
 * the reference is current; when it differs, the test regenerates the reference and compares the pages.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Application, ReflectionKind, TSConfigReader, TypeDocReader, type Comment, type DeclarationReflection, type ProjectReflection } from "typedoc";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const REFERENCE_DIR = join(ROOT, "docs", "reference");

const GENERATED = "<!-- Generated from the JSDoc of the public exports by `npm run docs:reference`. Do not edit. -->";
const FINGERPRINT = /<!-- inputs: ([0-9a-f]{64}) -->/;

/** Every file under `dir` (relative, `/`-separated, sorted), for `filter`-matching names. */
function listFiles(dir: string, filter: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !filter(entry.name)) continue;
    out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
  }
  return out.sort();
}

/** A hash of everything the reference is generated from. */
export function inputsFingerprint(): string {
  const hash = createHash("sha256");
  const files = [
    ...["typedoc.json", "tsconfig.json", "tsconfig.build.json", "package-lock.json"],
    ...listFiles(join(ROOT, "src"), (name) => name.endsWith(".ts")).map((file) => `src/${file}`),
  ];
  for (const file of files) hash.update(file).update("\0").update(readFileSync(join(ROOT, file))).update("\0");
  return hash.digest("hex");
}

/** The fingerprint the committed reference was generated from, if any. */
export function recordedFingerprint(dir = REFERENCE_DIR): string | undefined {
  try {
    return FINGERPRINT.exec(readFileSync(join(dir, "README.md"), "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** The pages of a reference directory by relative path, without the fingerprint (which says how, not what). */
export function readPages(dir: string): Map<string, string> {
  const pages = new Map<string, string>();
  for (const file of listFiles(dir, (name) => name.endsWith(".md"))) {
    pages.set(file, readFileSync(join(dir, file), "utf8").replace(FINGERPRINT, "<!-- inputs -->"));
  }
  return pages;
}

function hasDoc(reflection: DeclarationReflection): boolean {
  const said = (comment: Comment | undefined) => comment !== undefined && (comment.summary.length > 0 || comment.blockTags.length > 0);
  const signatures = [...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature];
  return said(reflection.comment) || signatures.some((signature) => said(signature?.comment));
}

function hasExample(reflection: DeclarationReflection): boolean {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)];
  return comments.some((comment) => comment?.getTag("@example") !== undefined);
}

/** What the JSDoc of the public surface lacks, as `module: name` lines. */
export interface DocGaps {
  /** Exports without any JSDoc. */
  readonly exports: string[];
  /** Members declared by exported classes and interfaces, without JSDoc (inherited ones count where declared). */
  readonly members: string[];
  /** Exports whose JSDoc has no `@example`. */
  readonly examples: string[];
}

function docGaps(project: ProjectReflection): DocGaps {
  const gaps: DocGaps = { exports: [], members: [], examples: [] };
  for (const module of project.children ?? []) {
    for (const child of module.children ?? []) {
      if (child.kindOf(ReflectionKind.Reference)) continue; // documented where it is declared
      const name = `${module.name}: ${child.name} (${ReflectionKind.singularString(child.kind)})`;
      if (!hasDoc(child)) gaps.exports.push(name);
      else if (!hasExample(child)) gaps.examples.push(name);
      if (!child.kindOf(ReflectionKind.ClassOrInterface)) continue;
      for (const member of child.children ?? []) {
        if (member.inheritedFrom !== undefined || member.kindOf(ReflectionKind.Constructor) || hasDoc(member)) continue;
        gaps.members.push(`${module.name}: ${child.name}.${member.name}`);
      }
    }
  }
  return gaps;
}

/** Generates the reference into `outDir`; returns what the JSDoc of the public surface lacks. */
export async function generateReference(outDir = REFERENCE_DIR): Promise<DocGaps> {
  const fingerprint = inputsFingerprint(); // of the inputs as they are read, before TypeDoc reads them
  // Explicit readers: the default ones would also parse process.argv (the test runner's arguments).
  const app = await Application.bootstrapWithPlugins({ out: outDir, logLevel: "Error" }, [new TypeDocReader(), new TSConfigReader()]);
  const project = await app.convert();
  if (project === undefined) throw new Error("TypeDoc could not convert the entry points (see the errors above)");
  rmSync(outDir, { recursive: true, force: true });
  await app.generateOutputs(project);

  for (const file of listFiles(outDir, (name) => name.endsWith(".md"))) {
    const path = join(outDir, file);
    const stamp = file === "README.md" ? `${GENERATED}\n<!-- inputs: ${fingerprint} -->\n\n` : `${GENERATED}\n\n`;
    writeFileSync(path, stamp + readFileSync(path, "utf8"));
  }

  return docGaps(project);
}

/** Generates the reference into a temporary directory and returns its pages (the directory is removed). */
export async function freshPages(): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "typefast-reference-"));
  try {
    await generateReference(dir);
    return readPages(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const gaps = await generateReference();
  console.log(`wrote ${relative(process.cwd(), REFERENCE_DIR) || "."}/ (${readPages(REFERENCE_DIR).size} pages)`);
  if (process.argv.includes("--undocumented")) {
    const report = (title: string, lines: string[]) => {
      console.log(`${lines.length} ${title}${lines.length > 0 ? ":" : ""}`);
      for (const line of lines) console.log(`  ${line}`);
    };
    report("public exports without JSDoc", gaps.exports);
    report("public exports whose JSDoc has no @example", gaps.examples);
    report("members of exported classes and interfaces without JSDoc", gaps.members);
  }
}
