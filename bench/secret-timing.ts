/**
 * Timing of failed API-key checks over HTTP: does a guess that shares a long prefix with the key take longer to be
 * refused than one that shares nothing? Two routes guard the same 8 KiB key — one with `compareSecrets` (what the
 * docs prescribe), one with a plain `===` as the control that shows what a leak looks like — and the two kinds of
 * wrong guesses are sent interleaved on one keep-alive connection.
 *
 *   npx tsx bench/secret-timing.ts [--requests 20000]
 *
 * Prints, per route, the median and the 10 % trimmed mean latency of each kind of guess and their ratio.
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import { APIKeyHeader, App, compareSecrets, HTTPException, serve } from "../src/index.ts";

const i = process.argv.indexOf("--requests");
const REQUESTS = i === -1 ? 20_000 : Number(process.argv[i + 1]);
const KEY = randomBytes(4096).toString("hex");
const sharesAllButLast = KEY.slice(0, -1) + (KEY.endsWith("0") ? "1" : "0");
const sharesNothing = (KEY.startsWith("0") ? "1" : "0") + KEY.slice(1);

const app = new App();
const apiKey = new APIKeyHeader({ name: "X-API-Key" });
app.get("/safe", { params: { key: apiKey } }, ({ key }) => {
  if (!compareSecrets(key, KEY)) throw new HTTPException(401, "Invalid API key");
  return { ok: true };
});
app.get("/naive", { params: { key: apiKey } }, ({ key }) => {
  // The mistake this benchmark exists to show: `===` stops at the first differing character.
  if (key !== KEY) throw new HTTPException(401, "Invalid API key");
  return { ok: true };
});
const server = await serve(app, { port: 0, announce: false, handleSignals: false, maxHeaderSize: 32 * 1024 });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function once(path: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get({ host: "127.0.0.1", port: server.port, path, agent, headers: { "x-api-key": key } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 401 ? resolve(Number(process.hrtime.bigint() - started) / 1000) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const trimmedMean = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length / 10);
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};

for (let w = 0; w < 2000; w++) await once(w % 2 ? "/safe" : "/naive", w % 4 < 2 ? sharesAllButLast : sharesNothing); // warm-up
const results: Record<string, { prefix: number[]; none: number[] }> = { "/safe": { prefix: [], none: [] }, "/naive": { prefix: [], none: [] } };
for (let n = 0; n < REQUESTS; n++) {
  for (const path of ["/safe", "/naive"] as const) {
    // Alternate the order, so drift of the machine does not favour one kind of guess.
    if (n % 2 === 0) {
      results[path]!.prefix.push(await once(path, sharesAllButLast));
      results[path]!.none.push(await once(path, sharesNothing));
    } else {
      results[path]!.none.push(await once(path, sharesNothing));
      results[path]!.prefix.push(await once(path, sharesAllButLast));
    }
  }
}
agent.destroy();
await server.close();

console.log(`${REQUESTS} requests per kind of guess and route, 8 KiB key, Node ${process.version}`);
for (const [path, { prefix, none }] of Object.entries(results)) {
  const m = [median(prefix), median(none)];
  const t = [trimmedMean(prefix), trimmedMean(none)];
  console.log(
    `${path.padEnd(7)} median ${m[0]!.toFixed(1)} µs vs ${m[1]!.toFixed(1)} µs (ratio ${(m[0]! / m[1]!).toFixed(3)}); ` +
      `trimmed mean ${t[0]!.toFixed(1)} µs vs ${t[1]!.toFixed(1)} µs (ratio ${(t[0]! / t[1]!).toFixed(3)})  [long shared prefix vs none]`,
  );
}
