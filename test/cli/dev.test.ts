/** `typefast dev`: the real launcher serves a temp project, reloads on edits, and explains a broken entry. */
import { afterAll, describe, expect, it } from "vitest";
import { appSource, getJson, launch, project, type Launched } from "./helpers.ts";

const fixture = await project({ "main.ts": appSource("v1"), "src/lib.ts": "export const x = 1;\n" });
let dev: Launched | undefined;
afterAll(async () => {
  if (dev && dev.proc.exitCode === null) {
    dev.proc.kill("SIGKILL");
    await dev.exited();
  }
  await fixture.remove();
});

describe("typefast dev", () => {
  it("finds main.ts, serves it, reloads on change with the time it took, and shows errors with a code frame", { timeout: 180_000 }, async () => {
    dev = launch(["dev", "--port", "0"], fixture.dir);
    const first = await dev.waitFor(/Serving CLI fixture at (http:\/\/\S+) — docs at (\S+)\/docs \(started in \d+ ms\)/);
    expect(dev.output()).toMatch(/typefast dev: serving main\.ts, watching \., src for changes/);
    expect(await getJson(`${first[1]}/hello`)).toEqual({ message: "v1" });

    // An edit of the entry: a new process serves the new code.
    let mark = dev.output().length;
    await fixture.write("main.ts", appSource("v2"));
    const reloaded = await dev.waitFor(/reloaded in (\d+) ms — (http:\/\/\S+) — docs at/, 60_000, mark);
    expect(Number(reloaded[1])).toBeGreaterThan(0);
    expect(dev.output().slice(mark)).toContain("Change in main.ts: reloading…");
    expect(await getJson(`${reloaded[2]}/hello`)).toEqual({ message: "v2" });

    // A runtime error at import: the message, where, and the code around it; the watcher keeps going.
    mark = dev.output().length;
    await fixture.write("main.ts", appSource("v3", 'throw new Error("the database URL is missing");\n'));
    await dev.waitFor(/The app failed to start \(see above\); waiting for a change to reload…/, 60_000, mark);
    const failure = dev.output().slice(mark);
    expect(failure).toContain("Error: the database URL is missing");
    expect(failure).toMatch(/at main\.ts:6:7/);
    expect(failure).toMatch(/> 6 \| throw new Error\("the database URL is missing"\);\n\s+\|\s+\^/);

    // A syntax error: esbuild's position, as a code frame.
    mark = dev.output().length;
    await fixture.write("main.ts", 'import { App } from "typefast";\nexport const app = new App({ title: "x" }\n');
    await dev.waitFor(/The app failed to start/, 60_000, mark);
    expect(dev.output().slice(mark)).toMatch(/TransformError: Expected "\)" but found end of file\n\s+at main\.ts:3:1/);

    // A change under src/ is watched too; the fixed app comes back.
    await fixture.write("main.ts", appSource("v4"));
    mark = dev.output().length;
    await fixture.write("src/lib.ts", "export const x = 2;\n");
    const back = await dev.waitFor(/reloaded in \d+ ms — (http:\/\/\S+)/, 60_000, mark);
    expect(await getJson(`${back[1]}/hello`)).toEqual({ message: "v4" });

    dev.proc.kill("SIGTERM");
    expect(await dev.exited()).toBe(0);
  });

  it("lists what it tried when there is no entry", { timeout: 60_000 }, async () => {
    const empty = await project({});
    try {
      const proc = launch(["dev"], empty.dir);
      expect(await proc.exited()).toBe(1);
      expect(proc.output()).toContain("No entry module found: tried main.ts, app.ts, src/main.ts, src/app.ts.");
    } finally {
      await empty.remove();
    }
  });
});
