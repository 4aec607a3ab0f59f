/** `typefast openapi` through the real launcher: entry discovery, `-o`, `--app`, `--asyncapi`. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectValidOpenAPI } from "../openapi/validate.ts";
import { appSource, launch, project, ROOT, TYPEFAST } from "./helpers.ts";

const fixture = await project({
  "src/main.ts": appSource("doc"),
  "ws.ts": `import { App } from ${TYPEFAST};
export const api = new App({ title: "Chat" });
api.websocket("/ws", {}, async (_, ws) => { await ws.accept(); });
`,
});
afterAll(() => fixture.remove());

describe("typefast openapi", () => {
  it("finds src/main.ts and writes a valid OpenAPI document", { timeout: 60_000 }, async () => {
    const cli = launch(["openapi", "-o", "out/openapi.json"], fixture.dir);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain("Wrote the OpenAPI document of CLI fixture (3 operations) to out/openapi.json");
    const doc = JSON.parse(await readFile(join(fixture.dir, "out/openapi.json"), "utf8"));
    expect(Object.keys(doc.paths)).toEqual(["/hello", "/pid", "/slow"]);
    await expectValidOpenAPI(doc);
  });

  it("writes to standard output with -o -", { timeout: 60_000 }, async () => {
    const cli = launch(["openapi", "src/main.ts", "-o", "-"], fixture.dir);
    expect(await cli.exited()).toBe(0);
    expect(JSON.parse(cli.output()).info.title).toBe("CLI fixture");
  });

  it("writes the AsyncAPI document with --asyncapi, finding the only app export", { timeout: 60_000 }, async () => {
    const cli = launch(["openapi", "ws.ts", "--asyncapi", "-o", "asyncapi.json"], fixture.dir);
    expect(await cli.exited()).toBe(0);
    expect(cli.output()).toContain("Wrote the AsyncAPI document of Chat (1 channel) to asyncapi.json");
    const doc = JSON.parse(await readFile(join(fixture.dir, "asyncapi.json"), "utf8"));
    expect(doc.asyncapi).toBe("3.0.0");
  });

  it("keeps the repository's examples working (--app-export is an alias of --app)", { timeout: 60_000 }, async () => {
    const cli = launch(["openapi", "examples/seed/53-custom-openapi.ts", "--app-export", "app", "-o", join(fixture.dir, "seed.json")], ROOT);
    expect(await cli.exited()).toBe(0);
    expect(JSON.parse(await readFile(join(fixture.dir, "seed.json"), "utf8")).info["x-logo"]).toBeDefined();
  });

  it("names the missing export and what the entry does export", { timeout: 60_000 }, async () => {
    const cli = launch(["openapi", "ws.ts", "--app", "app"], fixture.dir);
    expect(await cli.exited()).toBe(1);
    expect(cli.output()).toContain('typefast openapi: ws.ts has no app export named "app"; the exports found are api (object).');
  });
});
