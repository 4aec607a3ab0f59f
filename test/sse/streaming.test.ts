/** StreamingResponse and NDJSON through the app, end to end on a real socket: progress, back-pressure, cancellation. */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { App, Depends, NDJSONResponse, StreamingResponse, serve, silentLogger, type Server } from "../../src/index.ts";
import { sleep, until } from "../websocket/helpers.ts";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: App): Promise<string> {
  server = await serve(app, { port: 0, announce: false, handleSignals: false, gracefulTimeout: 1000 });
  return server.url;
}

describe("streaming responses through the app", () => {
  it("delivers NDJSON lines progressively, before the producer has finished", async () => {
    const app = new App({ logger: silentLogger });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.get("/rows", {}, () =>
      new NDJSONResponse(async function* () {
        yield { id: 1 };
        await gate;
        yield { id: 2 };
      }()),
    );
    const base = await start(app);
    const lines: string[] = [];
    const done = new Promise<string | undefined>((resolve) => {
      http.get(`${base}/rows`, (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          lines.push(...chunk.split("\n").filter(Boolean));
          if (lines.length === 1) release();
        });
        res.on("end", () => resolve(res.headers["content-type"]));
      });
    });
    expect(await done).toBe("application/x-ndjson");
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("does not run ahead of a client that stops reading (back-pressure)", async () => {
    const app = new App({ logger: silentLogger });
    let produced = 0;
    const chunk = "y".repeat(64 * 1024);
    app.get("/big", {}, () =>
      new StreamingResponse(async function* () {
        for (let i = 0; i < 2000; i++) {
          produced++;
          yield chunk;
        }
      }()),
    );
    const base = await start(app);
    let response!: http.IncomingMessage;
    const req = http.get(`${base}/big`, (res) => {
      response = res;
      res.pause();
    });
    await until(() => response !== undefined && produced > 0);
    await sleep(200);
    const stalled = produced;
    expect(stalled).toBeLessThan(2000);
    await sleep(100);
    expect(produced).toBe(stalled);
    req.destroy();
  });

  it("cancels the producer and tears down request-scoped dependencies when the client disconnects", async () => {
    const app = new App({ logger: silentLogger });
    const log: string[] = [];
    async function* connection() {
      log.push("open");
      try {
        yield "conn";
      } finally {
        log.push("released");
      }
    }
    let pulled = 0;
    app.get("/feed", { params: { conn: Depends(connection) } }, () =>
      new StreamingResponse(async function* () {
        try {
          for (;;) {
            pulled++;
            yield `line ${pulled}\n`;
            await sleep(5);
          }
        } finally {
          log.push("producer stopped");
        }
      }()),
    );
    const base = await start(app);
    await new Promise<void>((resolve) => {
      const req = http.get(`${base}/feed`, (res) => {
        let seen = 0;
        res.on("data", () => {
          if (++seen === 3) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on("error", () => undefined);
    });
    await until(() => log.includes("released"), 2000, "dependency teardown");
    expect(log).toEqual(["open", "producer stopped", "released"]);
    const pulledAtEnd = pulled;
    await sleep(40);
    expect(pulled).toBe(pulledAtEnd);
  });
});
