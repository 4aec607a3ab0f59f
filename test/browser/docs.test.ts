// The docs pages in headless Chromium, served by the app itself with no network: Swagger UI renders the
// operations and "Try it out" → "Execute" shows the real response; ReDoc renders the operation list.
// Screenshots go to test-artifacts/ (git-ignored).
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, Body, Path, Query, serve, type Server } from "../../src/index.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
let browser: Browser | undefined;
let server: Server | undefined;

const Item = z.object({ name: z.string(), price: z.number() }).meta({ id: "Item" });
const app = new App({ title: "Browser Shop", version: "1.0.0", openapiTags: [{ name: "items", description: "Things for sale" }] });
app.get(
  "/search",
  { params: { q: Query(z.string().min(1), { description: "What to look for" }), limit: Query(z.int().max(10).default(3)) }, tags: ["items"] },
  function searchItems({ q, limit }) {
    return { q, limit, results: [`${q}-1`, `${q}-2`].slice(0, limit) };
  },
);
app.get("/items/{item_id}", { params: { item_id: Path(z.int()) }, response: Item, tags: ["items"] }, function readItem({ item_id }) {
  return { name: `item ${item_id}`, price: 9.5 };
});
app.post("/items", { params: { item: Body(Item) }, response: Item, status: 201, tags: ["items"] }, function createItem({ item }) {
  return item;
});

beforeAll(async () => {
  // Debian's chromium only: this suite never downloads a browser, and fails (not skips) without one.
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is missing: run `apt-get update && apt-get install -y chromium`");
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(app, { port: 0, handleSignals: false, announce: false });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens a page as if offline: every request that does not go to the app is aborted and recorded, so the pages
 * must render from what the app serves.
 */
async function open(path: string): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const foreign: string[] = [];
  await page.route(
    (url) => url.origin !== new URL(server!.url).origin,
    (route) => {
      foreign.push(route.request().url());
      return route.abort("internetdisconnected");
    },
  );
  await page.goto(`${server!.url}${path}`);
  return { page, foreign };
}

describe("Swagger UI at /docs", () => {
  it("renders every operation", async () => {
    const { page, foreign } = await open("/docs");
    await page.locator(".swagger-ui .opblock").first().waitFor();
    const paths = await page.locator(".opblock-summary-path").allInnerTexts();
    expect(paths.map((p) => p.replace(/\u200b/g, "").trim())).toEqual(["/search", "/items/{item_id}", "/items"]);
    await expect(page.locator(".swagger-ui .info .title").innerText()).resolves.toContain("Browser Shop");
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it("Try it out → Execute on a GET with a query parameter shows the real response body", async () => {
    const { page, foreign } = await open("/docs");
    const op = page.locator(".opblock-get", { has: page.locator('[data-path="/search"]') });
    await op.locator(".opblock-summary").first().click();
    await op.locator("button.try-out__btn").click();
    await op.locator('tr[data-param-name="q"] input').fill("lamp");
    await op.locator("button.execute").click();
    const row = op.locator(".live-responses-table .response").first();
    await row.waitFor();
    expect((await row.locator(".response-col_status").innerText()).trim()).toMatch(/^200/);
    const body = await row.locator(".response-col_description pre").first().innerText();
    expect(JSON.parse(body)).toEqual({ q: "lamp", limit: 3, results: ["lamp-1", "lamp-2"] });
    await expect(op.locator(".request-url pre").innerText()).resolves.toBe(`${server!.url}/search?q=lamp&limit=3`);
    await page.screenshot({ path: `${ARTIFACTS}docs-swagger-ui.png`, fullPage: true });
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);
});

describe("ReDoc at /redoc", () => {
  it("renders the operation list", async () => {
    const { page, foreign } = await open("/redoc");
    // Each operation gets a heading in the middle panel and an entry in the side menu (under its tag).
    await page.locator("h2", { hasText: "Search Items" }).first().waitFor({ timeout: 30_000 });
    const menu = page.locator(".menu-content");
    await expect(menu.getByText("items", { exact: true }).first().isVisible()).resolves.toBe(true);
    for (const summary of ["Search Items", "Read Item", "Create Item"]) {
      await expect(page.locator("h2", { hasText: summary }).count(), summary).resolves.toBe(1);
      await expect(menu.getByText(summary, { exact: true }).count(), summary).resolves.toBe(1);
    }
    await expect(page.locator("h1").first().innerText()).resolves.toContain("Browser Shop");
    await page.screenshot({ path: `${ARTIFACTS}docs-redoc.png`, fullPage: false });
    // ReDoc's bundle hard-codes one image, the Redocly logo of its footer link; offline it is simply not shown.
    expect(foreign.filter((url) => url !== "https://cdn.redoc.ly/redoc/logo-mini.svg")).toEqual([]);
    await page.close();
  }, 60_000);
});
