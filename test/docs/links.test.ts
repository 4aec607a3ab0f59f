/**
 * Relative links between the hand-written pages (README.md, docs/, docs/tutorial/) point to files that exist and,
 * with a `#fragment`, to a heading of that page (GitHub's anchor rules). The generated reference is left out.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pages, ROOT } from "../../scripts/docs-embed.ts";

const withoutCode = (markdown: string): string => markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of withoutCode(readFileSync(file, "utf8")).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    found.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return found;
}

describe("links in the docs", () => {
  it("point to existing files and headings", () => {
    const broken: string[] = [];
    for (const page of pages()) {
      const path = join(ROOT, page);
      for (const match of withoutCode(readFileSync(path, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1]!;
        if (/^[a-z]+:/i.test(link)) continue; // http:, https:, mailto:
        const [file = "", fragment] = link.split("#");
        const target = file === "" ? path : resolve(dirname(path), file);
        if (!existsSync(target)) broken.push(`${page}: ${link} (no such file)`);
        else if (fragment !== undefined && target.endsWith(".md") && !anchors(target).has(fragment)) broken.push(`${page}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
