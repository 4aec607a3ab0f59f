/**
 * What a new user does first, in headless Chromium (Debian's; nothing is downloaded): open /docs, click
 * Authorize, log in with the demo account printed at startup and call a protected route; open the chat page twice
 * and talk.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";

const CHROMIUM = "/usr/bin/chromium";
let browser: Browser | undefined;
let place: Place;
let running: Running;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is not installed: run `bash scripts/setup-services.sh`");
  place = newPlace("sqlite");
  // The real demo data, with the password `npm start` prints.
  running = await startApp(place, { seed_demo_data: true, demo_password: "typefast-demo" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await dropPlace(place);
});

describe("Swagger UI on the flagship", () => {
  it("logs in through Authorize with the demo admin and calls GET /users/me", async () => {
    const page = await browser!.newPage();
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(running.url)) foreign.push(r.url());
    });
    await page.goto(`${running.url}/docs`);
    await page.locator(".swagger-ui .opblock").first().waitFor();

    await page.locator(".scheme-container button.authorize").click();
    const modal = page.locator(".modal-ux");
    await modal.locator("#oauth_username").fill("admin");
    await modal.locator("#oauth_password").fill("typefast-demo");
    await modal.locator(".auth-btn-wrapper button.authorize").click();
    await modal.locator(".auth-btn-wrapper button", { hasText: "Logout" }).waitFor();
    await modal.locator("button.btn-done, button.close-modal").first().click();

    const op = page.locator(".opblock-get", { has: page.locator('[data-path="/users/me"]') });
    await op.locator(".opblock-summary").first().click();
    await op.locator("button.try-out__btn").click();
    await op.locator("button.execute").click();
    const row = op.locator(".live-responses-table .response").first();
    await row.waitFor();
    expect((await row.locator(".response-col_status").innerText()).trim().split(/\s+/)[0]).toBe("200");
    const body = JSON.parse(await row.locator(".response-col_description pre").first().innerText());
    expect(body).toMatchObject({ username: "admin", roles: ["user", "admin"] });
    expect(foreign).toEqual([]); // the docs work offline
    await page.close();
  }, 90_000);

  it("runs the chat page: what one page sends, the other shows", async () => {
    const ann = await browser!.newPage();
    const bob = await browser!.newPage();
    await ann.goto(`${running.url}/chat?room=browsers&name=ann`);
    await bob.goto(`${running.url}/chat?room=browsers&name=bob`);
    for (const page of [ann, bob]) await page.locator("#state", { hasText: "connected" }).waitFor();
    await ann.locator("#log li", { hasText: "bob joined" }).waitFor();
    await ann.locator("#text").fill("hello from ann");
    await ann.locator("#form button").click();
    await bob.locator("#log li", { hasText: "ann: hello from ann" }).waitFor();
    await ann.close();
    await bob.locator("#log li.system", { hasText: "ann left" }).waitFor();
    await bob.close();
  }, 60_000);
});
