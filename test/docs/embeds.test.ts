/**
 * The code blocks of the docs that are marked `<!-- embed: path -->` are the runnable files themselves (the seed
 * examples, imported by test/examples/), so a page cannot show code that no longer runs.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pages, problems, refresh, ROOT } from "../../scripts/docs-embed.ts";

describe("embedded code in the docs", () => {
  it("is identical to the files it shows (`npm run docs:embed` refreshes it)", () => {
    expect(problems()).toEqual([]);
  });

  it("covers every seed example in the tutorial", () => {
    const embedded = new Set<string>();
    for (const page of pages().filter((p) => p.startsWith("docs/tutorial/"))) {
      for (const embed of refresh(readFileSync(join(ROOT, page), "utf8")).embeds) embedded.add(embed.file);
    }
    const examples = readdirSync(join(ROOT, "examples", "seed")).filter((f) => f.endsWith(".ts")).map((f) => `examples/seed/${f}`);
    expect(examples.length).toBeGreaterThan(20);
    expect(examples.filter((file) => !embedded.has(file))).toEqual([]);
  });
});

describe("refresh()", () => {
  const root = mkdtempSync(join(tmpdir(), "typefast-embed-"));
  mkdirSync(join(root, "examples"));
  writeFileSync(join(root, "examples", "hello.ts"), 'export const hello = "hi";\n');
  writeFileSync(join(root, "examples", "fenced.md"), "Some code:\n\n```ts\nx\n```\n");

  it("rewrites a stale block and leaves the rest of the page alone", () => {
    const page = "# Title\n\n<!-- embed: examples/hello.ts -->\n```ts\nexport const hello = \"old\";\n```\n\nAfter.\n";
    const { text, embeds } = refresh(page, root);
    expect(text).toBe("# Title\n\n<!-- embed: examples/hello.ts -->\n```ts\nexport const hello = \"hi\";\n```\n\nAfter.\n");
    expect(embeds).toEqual([{ file: "examples/hello.ts", line: 3, shown: 'export const hello = "old";', source: 'export const hello = "hi";' }]);
    expect(refresh(text, root).text).toBe(text);
  });

  it("adds the block after a marker that has none", () => {
    const { text, embeds } = refresh("<!-- embed: examples/hello.ts -->\n\nAfter.", root);
    expect(text).toBe('<!-- embed: examples/hello.ts -->\n```ts\nexport const hello = "hi";\n```\n\nAfter.');
    expect(embeds[0]!.shown).toBeUndefined();
  });

  it("uses a longer fence when the file itself contains one", () => {
    const { text } = refresh("<!-- embed: examples/fenced.md -->\n````md\nold\n````\n", root);
    expect(text).toBe("<!-- embed: examples/fenced.md -->\n````md\nSome code:\n\n```ts\nx\n```\n````\n");
    expect(refresh(text, root).embeds[0]!.shown).toBe(readFileSync(join(root, "examples", "fenced.md"), "utf8").trimEnd());
  });

  it("reports a missing file, or one outside the repository, and keeps the page as it is", () => {
    const page = "<!-- embed: examples/nope.ts -->\n```ts\nkept\n```\n<!-- embed: ../outside.ts -->\n";
    const { text, embeds } = refresh(page, root);
    expect(text).toBe(page);
    expect(embeds.map((e) => [e.file, e.source])).toEqual([["examples/nope.ts", undefined], ["../outside.ts", undefined]]);
  });
});
