// Before anything is measured: start each server once and make sure it answers every endpoint
// byte-for-byte like the others (and rejects what it must reject). Run alone: node bench/check.mjs [--servers a,b]
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ENDPOINTS, ITEM_BODY } from "./lib/endpoints.mjs";
import { BENCH_DIR, killLiveChildren, parseServerList, SERVERS, startServer } from "./lib/servers.mjs";
import { ensureBuilt } from "./lib/build.mjs";

function request(port, { method, path: urlPath, send }) {
  return new Promise((resolve, reject) => {
    const headers = send === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(send) };
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"] ?? "", body: Buffer.concat(chunks) }));
    });
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.once("error", reject);
    req.end(send);
  });
}

/** Every request the check makes, with what must come back. */
function checkCases() {
  const cases = [];
  for (const e of ENDPOINTS) {
    cases.push({ endpoint: e.id, method: e.method, path: e.path, send: e.send, status: 200, expect: e.expect });
    for (const c of e.cases) cases.push({ endpoint: e.id, ...c });
  }
  return cases;
}

function describe(c) {
  return `${c.method} ${c.path}${c.send ? ` ${c.send}` : ""}`;
}

/** Problems with one response (empty array when it is right). */
function judge(c, res) {
  const problems = [];
  if (c.status === "4xx" ? !(res.status >= 400 && res.status < 500) : res.status !== c.status) {
    problems.push(`status ${res.status}, expected ${c.status}`);
  }
  if (c.expect !== undefined) {
    if (!/^application\/json\b/i.test(res.type)) problems.push(`content-type "${res.type}", expected application/json`);
    if (!res.body.equals(Buffer.from(c.expect))) problems.push(`body ${res.body.toString()} !== ${c.expect}`);
  }
  return problems;
}

/** The benchmarked request of `endpoint` once: [] when the answer is byte-exact, else the problems. */
export async function verifyEndpoint(port, e) {
  const c = { method: e.method, path: e.path, send: e.send, status: 200, expect: e.expect };
  try {
    return judge(c, await request(port, c)).map((p) => `${describe(c)}: ${p}`);
  } catch (err) {
    return [`${describe(c)}: ${err.message}`];
  }
}

/** The wrk Lua script must send exactly the body the check verified. */
export function checkLuaBody() {
  const lua = readFileSync(path.join(BENCH_DIR, "post-items.lua"), "utf8");
  const m = /wrk\.body\s*=\s*'([^']*)'/.exec(lua);
  if (!m || m[1] !== ITEM_BODY) throw new Error(`post-items.lua body differs from ITEM_BODY in lib/endpoints.mjs`);
}

/**
 * Checks each server in turn. Resolves to { passed: [names], failed: { name: [problem, ...] } }.
 * `log` receives one line per server.
 */
export async function checkServers(names, { log = console.log } = {}) {
  checkLuaBody();
  if (names.some((n) => SERVERS[n].needsBuild)) ensureBuilt();
  const cases = checkCases();
  const passed = [];
  const failed = {};
  for (const name of names) {
    const problems = [];
    let server;
    try {
      server = await startServer(name, { core: 0 });
      for (const c of cases) {
        let res;
        try {
          res = await request(server.port, c);
        } catch (err) {
          problems.push(`${describe(c)}: ${err.message}`);
          continue;
        }
        for (const p of judge(c, res)) problems.push(`${describe(c)}: ${p}`);
        // give a yield-dependency teardown that runs after the response a moment before the next request
        if (c.endpoint === "e4") await new Promise((r) => setTimeout(r, 10));
      }
    } catch (err) {
      problems.push(`could not start: ${err.message}`);
    } finally {
      if (server) {
        const stop = await server.stop();
        if (!stop.clean) problems.push(`did not shut down cleanly (code ${stop.code}, signal ${stop.signal})`);
      }
    }
    if (problems.length === 0) {
      passed.push(name);
      log(`check ${name.padEnd(9)} ok (${cases.length} requests identical)`);
    } else {
      failed[name] = problems;
      log(`check ${name.padEnd(9)} FAILED:\n${problems.map((p) => `    - ${p}`).join("\n")}`);
    }
  }
  return { passed, failed };
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { servers: { type: "string" } } });
  process.on("SIGINT", () => {
    killLiveChildren();
    process.exit(130);
  });
  const { failed } = await checkServers(parseServerList(values.servers));
  process.exit(Object.keys(failed).length === 0 ? 0 : 1);
}
