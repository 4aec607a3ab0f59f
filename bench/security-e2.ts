// What authentication costs on the request path: E2 (`GET /items/42?q=abc`, an int path param and an optional
// query) bare, and the same route behind an HS256 bearer-token dependency (OAuth2PasswordBearer + AccessTokens
// verification on every request, the seed's `get_current_user`), measured side by side in one run.
// Goal: the protected route keeps ≥ 0.75× the bare one's throughput.
//
//   npx tsx bench/security-e2.ts [--repeats 5] [--duration 5] [--warmup 2] [--connections 50]
//
// Method (pinning, interleaving, CPU probes, discarded runs): see lib/ab.ts.
import { fileURLToPath } from "node:url";
import { compare, fromDist } from "./lib/ab.ts";

const VARIANTS = ["bare", "hs256"] as const;
type Variant = (typeof VARIANTS)[number];
// A fixed secret: the token below must verify on every server this script starts.
const SECRET = "bench-only-secret-key-0123456789abcdef";

async function makeTokens() {
  const { AccessTokens } = await fromDist<typeof import("../src/security/index.ts")>("security/index.js");
  return new AccessTokens({ algorithm: "HS256", secret: SECRET, expiresIn: "1h" });
}

async function runServer(variant: Variant): Promise<void> {
  const { z } = await import("zod");
  const { App, Depends, Path, Query, serve } = await fromDist<typeof import("../src/index.ts")>("index.js");
  const { OAuth2PasswordBearer } = await fromDist<typeof import("../src/security/index.ts")>("security/index.js");
  const app = new App();
  if (variant === "bare") {
    app.get("/items/{item_id}", { params: { item_id: Path(z.number().int()), q: Query(z.string().optional()) } }, ({ item_id, q }) => ({ item_id, q }));
  } else {
    const tokens = await makeTokens();
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
    const currentUser = Depends({ token: scheme }, async ({ token }) => (await tokens.authenticate(token)).sub);
    app.get(
      "/items/{item_id}",
      { params: { item_id: Path(z.number().int()), q: Query(z.string().optional()), user: currentUser } },
      ({ item_id, q }) => ({ item_id, q }),
    );
  }
  await serve(app, { host: "127.0.0.1", port: Number(process.env.PORT), announce: false, handleSignals: false });
  process.on("SIGTERM", () => process.exit(0));
}

async function main(): Promise<void> {
  const token = await (await makeTokens()).create({ sub: "alice" });
  await compare({
    title: "security bench: E2 bare vs E2 behind an HS256 bearer-token dependency (verified on every request)",
    script: fileURLToPath(import.meta.url),
    variants: VARIANTS,
    path: "/items/42?q=abc",
    headers: (variant): Record<string, string> => (variant === "hs256" ? { authorization: `Bearer ${token}` } : {}),
    goal: { variant: "hs256", atLeast: 0.75 },
    async check(variant, baseUrl) {
      const auth = variant === "hs256" ? { authorization: `Bearer ${token}` } : undefined;
      const res = await fetch(`${baseUrl}/items/42?q=abc`, { headers: auth });
      const body = await res.text();
      if (res.status !== 200 || body !== '{"item_id":42,"q":"abc"}') throw new Error(`${variant}: unexpected answer ${res.status} ${body}`);
      if (variant === "hs256" && (await fetch(`${baseUrl}/items/42?q=abc`)).status !== 401) throw new Error("hs256: a request without a token was not refused");
    },
  });
}

const argv = process.argv.slice(2);
if (argv[0] === "--serve") await runServer(argv[1] as Variant);
else await main();
