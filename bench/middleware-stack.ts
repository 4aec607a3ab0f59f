// The cost of a typical middleware stack: E1 (`GET /hello`) bare, and E1 behind CORS + GZip + request-id
// middleware, measured side by side in one run. Goal: the stacked server keeps ≥ 0.8× the bare one's throughput.
// A third variant runs the same stack with `RequestIdMiddleware({ context: false })`: no AsyncLocalStorage, whose
// hooks make every async resource of the process (promises, writes, ticks) cost more on Node 20 and 22.
//
//   npx tsx bench/middleware-stack.ts [--repeats 5] [--duration 5] [--warmup 2] [--connections 50]
//
// Method (pinning, interleaving, CPU probes, discarded runs): see lib/ab.ts.
import { fileURLToPath } from "node:url";
import { compare, fromDist } from "./lib/ab.ts";

const VARIANTS = ["bare", "stack", "no-ctx"] as const;
type Variant = (typeof VARIANTS)[number];
// What a browser calling the API cross-origin sends: the CORS and GZip middleware have real work to decide.
const HEADERS = { origin: "https://app.example.com", "accept-encoding": "gzip, deflate, br" };

async function runServer(variant: Variant): Promise<void> {
  const { App, CORSMiddleware, GZipMiddleware, RequestIdMiddleware, serve } = await fromDist<typeof import("../src/index.ts")>("index.js");
  const app = new App();
  app.get("/hello", {}, () => ({ message: "hello" }));
  if (variant !== "bare") {
    app.addMiddleware(GZipMiddleware);
    app.addMiddleware(RequestIdMiddleware, { context: variant === "stack" });
    app.addMiddleware(CORSMiddleware, { allowOrigins: ["https://app.example.com"], allowMethods: ["GET", "POST"], allowCredentials: true });
  }
  await serve(app, { host: "127.0.0.1", port: Number(process.env.PORT), announce: false, handleSignals: false });
  process.on("SIGTERM", () => process.exit(0));
}

const argv = process.argv.slice(2);
if (argv[0] === "--serve") await runServer(argv[1] as Variant);
else {
  await compare({
    title: "middleware stack bench: E1 bare vs E1 + CORS + GZip + request id",
    script: fileURLToPath(import.meta.url),
    variants: VARIANTS,
    path: "/hello",
    headers: () => HEADERS,
    goal: { variant: "stack", atLeast: 0.8 },
    // Both variants must answer E1 byte for byte alike (the stack adds headers only; the body is too small to gzip).
    async check(variant, baseUrl) {
      const res = await fetch(`${baseUrl}/hello`, { headers: HEADERS });
      const body = await res.text();
      if (res.status !== 200 || body !== '{"message":"hello"}') throw new Error(`${variant}: unexpected answer ${res.status} ${body}`);
      if (variant !== "bare" && (!res.headers.get("x-request-id") || res.headers.get("access-control-allow-origin") !== HEADERS.origin)) {
        throw new Error("stack: the middleware did not run");
      }
    },
  });
}
