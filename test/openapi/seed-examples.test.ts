/**
 * Every ported seed example (`examples/seed/*.ts` exporting `app`) documents itself: its whole document is
 * snapshotted (a change to the output is a visible diff) and must pass the OpenAPI 3.1 validator.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { OpenAPIDocument } from "../../src/index.ts";
import { expectValidOpenAPI } from "./validate.ts";

const dir = fileURLToPath(new URL("../../examples/seed/", import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();

describe.each(examples)("examples/seed/%s", (file) => {
  it("has a valid OpenAPI 3.1 document matching its snapshot", async () => {
    const mod = (await import(new URL(file, `file://${dir}`).href)) as { app?: { openapi(): OpenAPIDocument } };
    if (typeof mod.app?.openapi !== "function") return; // not an app example (e.g. a client script)
    const doc = mod.app.openapi();
    await expectValidOpenAPI(doc);
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot(`__snapshots__/seed/${file.replace(/\.ts$/, "")}.json`);
  });
});
