/** Item 3: the middleware stack must not buffer streamed bodies (each chunk reaches the client when produced). */
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { App, CORSMiddleware, GZipMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware, StreamingResponse, TrustedHostMiddleware, type Server } from "../../src/index.ts";
import { listen, rawGet } from "./real-server.ts";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A producer that yields one chunk, then waits for the test to allow the next. */
function gated() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const produced: string[] = [];
  async function* body() {
    produced.push("first");
    yield "first chunk\n".repeat(50);
    await gate;
    produced.push("second");
    yield "second chunk\n";
  }
  return { body, open, produced };
}

describe("streamed responses through middleware", () => {
  for (const encoding of ["identity", "gzip"]) {
    it(`reach the client chunk by chunk through CORS, GZip, request id, security headers and trusted host (${encoding})`, async () => {
      const g = gated();
      const app = new App();
      app.get("/stream", {}, () => new StreamingResponse(g.body(), { mediaType: "text/plain" }));
      app.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["127.0.0.1"] });
      app.addMiddleware(SecurityHeadersMiddleware);
      app.addMiddleware(GZipMiddleware, { minimumSize: 1 });
      app.addMiddleware(RequestIdMiddleware);
      app.addMiddleware(CORSMiddleware, { allowOrigins: ["https://a.example"] });
      server = await listen(app);
      const { res, chunks } = await rawGet(`${server.url}/stream`, { "accept-encoding": encoding, origin: "https://a.example" });
      expect(res.headers["access-control-allow-origin"]).toBe("https://a.example");
      expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers["content-encoding"]).toBe(encoding === "gzip" ? "gzip" : undefined);
      const received: Buffer[] = [];
      for await (const chunk of chunks) {
        received.push(chunk);
        const text = encoding === "gzip" ? gunzipSync(Buffer.concat(received), { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString() : Buffer.concat(received).toString();
        if (text.includes("first chunk") && !text.includes("second")) {
          // The client has the first chunk while the producer is still waiting at the gate.
          expect(g.produced).toEqual(["first"]);
          g.open();
        }
      }
      const all = Buffer.concat(received);
      const text = encoding === "gzip" ? gunzipSync(all).toString() : all.toString();
      expect(text.endsWith("second chunk\n")).toBe(true);
      expect(g.produced).toEqual(["first", "second"]);
    });
  }
});
