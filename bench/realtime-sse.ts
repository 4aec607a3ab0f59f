/**
 * Server-Sent Events throughput: one client reads N events (default 500 000, ~60 bytes each) as fast as it can
 * from an `EventSourceResponse`, and from a raw `node:http` handler writing the same bytes with back-pressure (the
 * ceiling); prints events/s and MB/s. Server and client run in separate processes.
 *
 *   node --import tsx bench/realtime-sse.ts [--events 500000]
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { App, EventSourceResponse, Query, serve, silentLogger } from "../src/index.ts";
import { formatEvent } from "../src/sse/event.ts";
import { z } from "zod";
import { arg, serveChild, startServer } from "./realtime-lib.ts";

function* events(n: number): Generator<{ id: number; data: { i: number; text: string } }> {
  for (let i = 0; i < n; i++) yield { id: i, data: { i, text: "some event payload" } };
}

async function child(mode: string): Promise<void> {
  if (mode === "raw") {
    const server = http.createServer(async (req, res) => {
      const n = Number(new URL(req.url!, "http://x").searchParams.get("n"));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const event of events(n)) {
        if (!res.write(formatEvent(event))) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    serveChild((server.address() as { port: number }).port, {});
    return;
  }
  const app = new App({ logger: silentLogger });
  app.get("/sse", { params: { n: Query(z.int()) } }, ({ n }) => new EventSourceResponse(events(n)));
  const server = await serve(app, { port: 0, announce: false, handleSignals: false });
  serveChild(server.port, {});
}

function read(url: string): Promise<{ events: number; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let count = 0;
    let bytes = 0;
    let tail = "";
    http.get(url, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        const text = tail + chunk;
        let at = text.indexOf("\n\n");
        let from = 0;
        while (at !== -1) {
          count++;
          from = at + 2;
          at = text.indexOf("\n\n", from);
        }
        tail = text.slice(from);
      });
      res.on("end", () => resolve({ events: count, bytes, ms: performance.now() - t0 }));
      res.on("error", reject);
    });
  });
}

const serving = arg("serve", "");
if (serving) await child(serving);
else {
  const n = Number(arg("events", "500000"));
  for (const mode of ["raw", "typefast"]) {
    const server = await startServer(import.meta.url, mode);
    const path = mode === "raw" ? "/" : "/sse";
    await read(`http://127.0.0.1:${server.port}${path}?n=10000`); // warm-up
    const { events: got, bytes, ms } = await read(`http://127.0.0.1:${server.port}${path}?n=${n}`);
    if (got !== n) throw new Error(`${mode}: expected ${n} events, got ${got}`);
    const perSecond = Math.round((got / ms) * 1000);
    console.log(`${mode.padEnd(9)} ${perSecond.toLocaleString("en-US")} events/s   ${((bytes / ms) * 1000 / 1e6).toFixed(1)} MB/s   (${n} events in ${ms.toFixed(0)} ms)`);
    await server.stop();
  }
}
