import { expect, it } from "vitest";
import { buildLargeApp, timeGeneration } from "../../bench/openapi-generation.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "./validate.ts";

it("generates the document of a 500-route app in under a second", () => {
  // The fastest of three cold runs: the machine running the suite is shared, one slow run is noise.
  const runs = [timeGeneration(500), timeGeneration(500), timeGeneration(500)];
  expect(runs[0].operations).toBe(500);
  expect(Math.min(...runs.map((r) => r.ms))).toBeLessThan(1000);
});

it("serves the large document from the cache, and it is valid", async () => {
  const app = buildLargeApp(500);
  const client = new TestClient(app);
  const start = performance.now();
  const first = await client.get("/openapi.json");
  const cold = performance.now() - start;
  const again = performance.now();
  const second = await client.get("/openapi.json");
  const warm = performance.now() - again;
  expect(second.text).toBe(first.text);
  expect(warm).toBeLessThan(cold);
  await expectValidOpenAPI(first.json());
});
