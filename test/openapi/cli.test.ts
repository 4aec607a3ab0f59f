import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main, parseArgs, writeOpenAPI } from "../../src/cli/openapi.ts";
import { app } from "../../examples/seed/53-custom-openapi.ts";
import { expectValidOpenAPI } from "./validate.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const entry = "examples/seed/53-custom-openapi.ts";
const out = await mkdtemp(join(tmpdir(), "typefast-openapi-"));
afterAll(() => rm(out, { recursive: true, force: true }));

describe("typefast openapi <entry>", () => {
  it("parses its arguments", () => {
    expect(parseArgs(["main.ts"])).toEqual({ entry: "main.ts", output: undefined, appExport: undefined });
    expect(parseArgs(["main.ts", "-o", "doc.json", "--app-export", "api"])).toEqual({ entry: "main.ts", output: "doc.json", appExport: "api" });
    expect(parseArgs(["--output=doc.json", "--app-export=api", "main.ts"])).toEqual({ entry: "main.ts", output: "doc.json", appExport: "api" });
    expect(() => parseArgs([])).toThrow(/entry module is missing/);
    expect(() => parseArgs(["a.ts", "-o"])).toThrow(/-o needs a value/);
    expect(() => parseArgs(["a.ts", "--yaml"])).toThrow(/unknown option --yaml/);
    expect(() => parseArgs(["a.ts", "b.ts"])).toThrow(/unexpected argument b\.ts/);
  });

  it("writes the app's document, customizations included", async () => {
    const { path, document } = await writeOpenAPI({ entry, output: join(out, "nested", "openapi.json"), cwd: root });
    expect(path).toBe(join(out, "nested", "openapi.json"));
    const written = JSON.parse(await readFile(path, "utf8"));
    expect(written).toEqual(JSON.parse(JSON.stringify(app.openapi())));
    expect(written.info["x-logo"]).toBeDefined();
    expect(document).toBe(app.openapi());
    await expectValidOpenAPI(written);
  });

  it("explains a missing app export", async () => {
    await expect(writeOpenAPI({ entry, appExport: "api", cwd: root })).rejects.toThrow(
      'has no app export named "api"; it exports an app as "app": pass --app-export app',
    );
    expect(await main([entry, "--app-export", "api", "-o", join(out, "x.json")])).toBe(1);
  });

  it("runs as a script with tsx", async () => {
    const target = join(out, "script.json");
    const { stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/openapi.ts", entry, "-o", target], { cwd: root });
    expect(stderr).toContain(`Wrote the OpenAPI document of My API (2 operations) to ${target}`);
    expect(JSON.parse(await readFile(target, "utf8")).info.title).toBe("My API");
  });
});
