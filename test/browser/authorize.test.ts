// Swagger UI's Authorize button, end to end in headless Chromium: the docs page of seed example 31 logs in
// through the OAuth2 password flow (POST /token) and calls the protected GET /users/me with the token.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/seed/31-jwt-tokens.ts";
import { serve, type Server } from "../../src/index.ts";

const CHROMIUM = "/usr/bin/chromium";
let browser: Browser | undefined;
let server: Server | undefined;

beforeAll(async () => {
  // Debian's chromium only: this suite never downloads a browser.
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is missing: run `apt-get update && apt-get install -y chromium`");
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

async function openDocs(): Promise<Page> {
  const page = await browser!.newPage();
  // The docs are served by the app itself (offline); anything else would be a CDN request.
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(server!.url)) foreign.push(r.url());
  });
  await page.goto(`${server!.url}/docs`);
  await page.locator(".swagger-ui .opblock").first().waitFor();
  expect(foreign).toEqual([]);
  return page;
}

/** Expands GET /users/me, presses "Try it out" and "Execute", and returns the status and body shown. */
async function executeUsersMe(page: Page): Promise<{ status: string; body: string }> {
  const op = page.locator(".opblock-get", { has: page.locator('[data-path="/users/me"]') });
  await op.locator(".opblock-summary").first().click();
  await op.locator("button.try-out__btn").click();
  await op.locator("button.execute").click();
  const row = op.locator(".live-responses-table .response").first();
  await row.waitFor();
  return {
    // The cell reads "401\nUndocumented" for responses the operation does not declare: keep the code.
    status: (await row.locator(".response-col_status").innerText()).trim().split(/\s+/)[0]!,
    body: await row.locator(".response-col_description pre").first().innerText(),
  };
}

describe("Swagger UI Authorize (OAuth2 password flow)", () => {
  it("shows a padlock on the protected operation and none on the token route", async () => {
    const page = await openDocs();
    await expect(page.locator('.opblock-get:has([data-path="/users/me"]) .authorization__btn').count()).resolves.toBe(1);
    await expect(page.locator('.opblock-post:has([data-path="/token"]) .authorization__btn').count()).resolves.toBe(0);
    await page.close();
  }, 60_000);

  it("without logging in, the protected operation answers 401", async () => {
    const page = await openDocs();
    const { status, body } = await executeUsersMe(page);
    expect(status).toBe("401");
    expect(body).toContain("Not authenticated");
    await page.close();
  }, 60_000);

  it("logging in through Authorize, then executing the operation answers 200 with the user's data", async () => {
    const page = await openDocs();
    await page.locator(".scheme-container button.authorize").click();
    const modal = page.locator(".modal-ux");
    await modal.waitFor();
    await modal.locator("#oauth_username").fill("alice");
    await modal.locator("#oauth_password").fill("secret");
    await modal.locator(".auth-btn-wrapper button.authorize").click();
    // Swagger UI swaps "Authorize" for "Logout" once the token endpoint answered.
    await modal.locator(".auth-btn-wrapper button", { hasText: "Logout" }).waitFor();
    await modal.locator("button.btn-done, button.close-modal").first().click();

    const { status, body } = await executeUsersMe(page);
    expect(status).toBe("200");
    expect(JSON.parse(body)).toEqual({ username: "alice" });
    await page.close();
  }, 60_000);

  it("a wrong password is refused by the token route and leaves the user logged out", async () => {
    const page = await openDocs();
    await page.locator(".scheme-container button.authorize").click();
    const modal = page.locator(".modal-ux");
    await modal.locator("#oauth_username").fill("alice");
    await modal.locator("#oauth_password").fill("wrong-password");
    await modal.locator(".auth-btn-wrapper button.authorize").click();
    await modal.locator(".errors", { hasText: /Unauthorized|Incorrect|401/ }).first().waitFor();
    await modal.locator("button.close-modal").first().click();
    expect((await executeUsersMe(page)).status).toBe("401");
    await page.close();
  }, 60_000);
});
