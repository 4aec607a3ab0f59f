// Realtime features in headless Chromium: the page of seed example 36 echoes through its WebSocket, the chat page
// of example 37 broadcasts between two tabs, and a browser EventSource reads example 43's event stream.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app as echo } from "../../examples/seed/36-websocket-basic.ts";
import { createApp as chatApp } from "../../examples/seed/37-websocket-broadcast.ts";
import { createApp as streamingApp } from "../../examples/seed/43-streaming-responses.ts";
import { App, serve, silentLogger, type Server } from "../../src/index.ts";

const CHROMIUM = "/usr/bin/chromium";
let browser: Browser | undefined;
let server: Server | undefined;

// The examples log connections and messages to the console; keep the test output readable.
const info = vi.spyOn(console, "info").mockImplementation(() => undefined);

beforeAll(async () => {
  // Debian's chromium only: this suite never downloads a browser.
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is missing: run `apt-get update && apt-get install -y chromium`");
  // One server, the examples mounted side by side: WebSocket upgrades are routed into mounted apps too.
  const root = new App({ logger: silentLogger });
  root.mount("/echo", echo);
  root.mount("/chat", chatApp().app);
  root.mount("/streams", streamingApp({ rowDelayMs: 0, eventDelayMs: 20 }));
  server = await serve(root, { port: 0, handleSignals: false, announce: false, gracefulTimeout: 1000 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  info.mockRestore();
});

describe("in a real browser", () => {
  it("the example 36 page echoes through its WebSocket", async () => {
    const page = await browser!.newPage();
    const logged: string[] = [];
    page.on("console", (m) => logged.push(m.text()));
    await page.goto(`${server!.url}/echo`);
    await page.waitForSelector("body[data-state=open]");
    await page.click("button");
    await page.locator("#log li", { hasText: "Echo: Hello Server" }).waitFor();
    await page.fill("#text", "second message");
    await page.click("button");
    await page.locator("#log li", { hasText: "Echo: second message" }).waitFor();
    expect(logged).toContain("Received: Echo: Hello Server");
    await page.close();
  });

  it("the example 37 chat page delivers a message to every open tab", async () => {
    const [one, two] = [await browser!.newPage(), await browser!.newPage()];
    await Promise.all([one.goto(`${server!.url}/chat`), two.goto(`${server!.url}/chat`)]);
    const sayHello = async (): Promise<void> => {
      await one.fill("#text", "hello tabs");
      await one.click("button");
    };
    // The second tab's connection may still be joining the room: repeat until it hears the first tab.
    await sayHello();
    await one.locator("#messages li", { hasText: "[You] hello tabs" }).first().waitFor();
    for (let attempt = 0; attempt < 20 && (await two.locator("#messages li", { hasText: "hello tabs" }).count()) === 0; attempt++) {
      await two.waitForTimeout(100);
      if (attempt % 5 === 4) await sayHello();
    }
    const heard = await two.locator("#messages li", { hasText: "hello tabs" }).first().innerText();
    expect(heard).toMatch(/^\[Client \d+\] hello tabs$/);
    await Promise.all([one.close(), two.close()]);
  });

  it("an EventSource reads the example 43 event stream, JSON data and ids included", async () => {
    const page = await browser!.newPage();
    await page.goto(`${server!.url}/echo`);
    const received = await page.evaluate(
      (url) =>
        new Promise<Array<{ data: unknown; id: string }>>((resolve, reject) => {
          const source = new EventSource(url);
          const events: Array<{ data: unknown; id: string }> = [];
          source.onmessage = (event) => {
            const data = JSON.parse(event.data);
            events.push({ data, id: event.lastEventId });
            if (data.done) {
              source.close();
              resolve(events);
            }
          };
          source.onerror = () => reject(new Error("EventSource failed"));
        }),
      "/streams/stream/events",
    );
    expect(received).toHaveLength(11);
    expect(received[0]).toMatchObject({ id: "0", data: { count: 0 } });
    expect(received[9]).toMatchObject({ id: "9", data: { count: 9 } });
    expect(received[10]).toEqual({ id: "9", data: { done: true } });
    await page.close();
  });
});
