/**
 * `docs/reference/` is generated from the JSDoc of the public entry points (`npm run docs:reference`); this test
 * fails when the committed pages are not what the generator writes from today's sources.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshPages, inputsFingerprint, readPages, recordedFingerprint, REFERENCE_DIR } from "../../scripts/gen-reference.ts";

const STALE = "docs/reference/ is stale: run `npm run docs:reference` and commit the result";

describe("the API reference", () => {
  it("has a page per entry point, linked from its index", () => {
    const pages = readPages(REFERENCE_DIR);
    expect([...pages.keys()].sort()).toEqual(["README.md", "typefast.client.md", "typefast.md", "typefast.security.md", "typefast.testing.md"]);
    const index = pages.get("README.md")!;
    for (const [module, file] of [["typefast", "typefast.md"], ["typefast/testing", "typefast.testing.md"], ["typefast/security", "typefast.security.md"], ["typefast/client", "typefast.client.md"]]) {
      expect(index).toContain(`[${module}](${file})`);
      expect(existsSync(join(REFERENCE_DIR, file))).toBe(true);
    }
  });

  it(
    "is what the generator writes from today's sources",
    async () => {
      // The fingerprint covers every input of the generator: when it matches, the pages were generated from exactly
      // these sources, and running TypeDoc again (~15 s) would only reproduce them.
      if (recordedFingerprint() === inputsFingerprint()) return;
      const fresh = await freshPages();
      const committed = readPages(REFERENCE_DIR);
      expect([...committed.keys()], STALE).toEqual([...fresh.keys()]);
      for (const [file, text] of fresh) expect(committed.get(file) === text, `${STALE} (${file} differs)`).toBe(true);
    },
    180_000,
  );
});
