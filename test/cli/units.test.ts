/** The CLI's parts in-process: entry discovery, app lookup, code frames and argument errors. */
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { findEntry, loadApp } from "../../src/cli/entry.ts";
import { main } from "../../src/cli/main.ts";
import { codeFrame, formatError, locate } from "../../src/cli/pretty-error.ts";
import { TypefastError } from "../../src/errors/typefast-error.ts";
import { project, TYPEFAST } from "./helpers.ts";

const app = `import { App } from ${TYPEFAST};\n`;
const fixture = await project({
  "app.ts": `${app}export const app = new App();\n`,
  "src/main.ts": `${app}export const api = new App();\n`,
  "many.ts": `${app}export const a = new App();\nexport const b = new App();\n`,
  "only.ts": `${app}export default new App();\nexport const version = "1";\n`,
  "nested/main.ts": `${app}export const server = new App();\n`,
  "empty/notes.txt": "no entry here\n",
});
afterAll(() => fixture.remove());

function capture() {
  const lines: string[] = [];
  return { lines, out: { info: (m: string) => void lines.push(m), error: (m: string) => void lines.push(m) } };
}

describe("entry discovery", () => {
  it("takes main.ts, app.ts, src/main.ts, src/app.ts in that order, or the given file or folder", () => {
    expect(findEntry(fixture.dir)).toBe(join(fixture.dir, "app.ts"));
    expect(findEntry(fixture.dir, "src/main.ts")).toBe(join(fixture.dir, "src/main.ts"));
    expect(findEntry(fixture.dir, "src")).toBe(join(fixture.dir, "src/main.ts"));
    expect(findEntry(fixture.dir, "nested")).toBe(join(fixture.dir, "nested/main.ts"));
  });

  it("says what it tried", () => {
    expect(() => findEntry(fixture.dir, "missing.ts")).toThrow("The entry missing.ts does not exist (looked for missing.ts).");
    expect(() => findEntry(join(fixture.dir, "empty"))).toThrow(
      /^No entry module found: tried main\.ts, app\.ts, src\/main\.ts, src\/app\.ts\. Pass the module that exports your app/,
    );
  });
});

describe("app lookup", () => {
  it("uses --app, else app, api, default, or the only App", async () => {
    expect((await loadApp(join(fixture.dir, "app.ts"))).name).toBe("app");
    expect((await loadApp(join(fixture.dir, "src/main.ts"))).name).toBe("api");
    expect((await loadApp(join(fixture.dir, "only.ts"))).name).toBe("default");
    expect((await loadApp(join(fixture.dir, "nested/main.ts"))).name).toBe("server");
    expect((await loadApp(join(fixture.dir, "many.ts"), "b")).name).toBe("b");
  });

  it("asks to choose between several apps", async () => {
    await expect(loadApp(join(fixture.dir, "many.ts"))).rejects.toThrow("exports several apps (a, b): choose one with --app <name>.");
    await expect(loadApp(join(fixture.dir, "many.ts"), "c")).rejects.toThrow('has no app export named "c"; the exports found are a (object), b (object).');
  });
});

describe("code frames", () => {
  it("point at the first frame of user code, skipping Node internals and node_modules", () => {
    const error = new Error("boom");
    error.stack = [
      "Error: boom",
      "    at ModuleLoader.import (node:internal/modules/esm/loader:606:24)",
      "    at x (/srv/app/node_modules/lib/index.js:1:1)",
      `    at <anonymous> (${join(fixture.dir, "many.ts")}:3:14)`,
    ].join("\n");
    expect(locate(error)).toEqual({ file: join(fixture.dir, "many.ts"), line: 3, column: 14 });
    expect(formatError(error, fixture.dir)).toBe(
      [
        "Error: boom",
        "  at many.ts:3:14",
        "",
        "  1 | import { App } from " + TYPEFAST + ";",
        "  2 | export const a = new App();",
        "> 3 | export const b = new App();",
        "    |              ^",
        "  4 | ",
        "",
      ].join("\n"),
    );
  });

  it("read esbuild's syntax error positions, and include the cause", () => {
    const syntax = new Error(`Transform failed with 1 error:\n${join(fixture.dir, "app.ts")}:2:9: ERROR: Unexpected "const"`);
    syntax.name = "TransformError";
    const wrapped = new TypefastError("TF_STARTUP_FAILED", "Application startup failed");
    (wrapped as Error & { cause?: unknown }).cause = syntax;
    const text = formatError(wrapped, fixture.dir);
    expect(text).toContain("TypefastError [TF_STARTUP_FAILED]: Application startup failed");
    expect(text).toContain('Caused by: TransformError: Unexpected "const"\n  at app.ts:2:10');
    expect(codeFrame({ file: join(fixture.dir, "nope.ts"), line: 1, column: 1 })).toBeUndefined();
  });
});

describe("arguments", () => {
  it("rejects bad commands and values with a pointer to --help", async () => {
    for (const [argv, message] of [
      [["deploy"], 'typefast: unknown command "deploy" (see `typefast --help`)'],
      [["run", "--port", "http"], 'typefast: --port must be a port number (0-65535), got "http" (see `typefast --help`)'],
      [["run", "--workers", "0"], 'typefast: --workers must be a whole number from 1 to 256, got "0" (see `typefast --help`)'],
      [["run", "--workers", "1000"], 'typefast: --workers must be a whole number from 1 to 256, got "1000" (see `typefast --help`)'],
      [["dev", "a.ts", "b.ts"], "typefast: unexpected argument b.ts (see `typefast --help`)"],
      [["openapi", "--yaml"], "typefast: Unknown option '--yaml' (see `typefast --help`)"],
    ] as const) {
      const { lines, out } = capture();
      expect(await main(argv, out)).toBe(1);
      expect(lines).toEqual([message]);
    }
  });

  it("prints the usage and the version", async () => {
    const { lines, out } = capture();
    expect(await main(["--help"], out)).toBe(0);
    expect(await main(["--version"], out)).toBe(0);
    expect(lines[0]).toMatch(/^usage: typefast <command> \[entry\] \[options\]/);
    expect(lines[1]).toMatch(/^typefast \d+\.\d+\.\d+/);
  });
});
