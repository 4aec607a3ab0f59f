/**
 * The fuzz loop shared by the quick test (`test/reliability/fuzz-http.test.ts`) and the long run
 * (`bench/fuzz.ts`): starts the fuzz app in a child process, feeds it batches of generated requests through
 * fast-check (one property run = one batch, sent concurrently), and after every batch checks that the process is
 * alive, that a known-good request is answered, that no prototype was touched and that nothing unexpected was
 * logged. A failure reports the fast-check seed and path that replay it, and the bytes of the failing request.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { fuzzCaseArb, type FuzzCase } from "./fuzz-requests.ts";
import { runCase, type Finding } from "./fuzz-wire.ts";

const SERVER = fileURLToPath(new URL("./fuzz-server.ts", import.meta.url));
const ROOT = path.resolve(path.dirname(SERVER), "../..");

/** The fuzz app in its own process. */
export interface FuzzServer {
  readonly port: number;
  readonly child: ChildProcess;
  /** What the process wrote to stderr (crash reports land here). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `test/reliability/fuzz-server.ts` with `node --import tsx` and waits for its port. */
export function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  return new Promise((resolve, reject) => {
    let out = "";
    const onExit = (code: number | null) => reject(new Error(`the fuzz server exited (${code}) before listening:\n${err}`));
    child.once("exit", onExit);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (!out.includes("\n")) return;
      child.off("exit", onExit);
      const { port } = JSON.parse(line!) as { port: number };
      resolve({
        port,
        child,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** What `GET /__probe` answers. */
export interface ProbeState {
  ok: boolean;
  polluted: string[];
  unexpected: string[];
  documented: Record<string, number>;
  generators: { entered: number; closed: number };
  rss: number;
}

/** Asks the fuzz app for its books (a known-good request, too). */
export function probe(port: number, timeoutMs = 5000): Promise<ProbeState> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/__probe", agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`GET /__probe answered ${res.statusCode}: ${body.slice(0, 200)}`));
        resolve(JSON.parse(body) as ProbeState);
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET /__probe did not answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Requests to send in all (rounded up to whole batches). */
  requests: number;
  /** Requests per property run, sent concurrently (default 250). A seed replays the same requests only with the same batch size. */
  batch?: number;
  /** Connections open at once within a batch (default 64). */
  concurrency?: number;
  /** Per-request limit for a response or a close (default 5000 ms; the server cuts requests after 1000 ms). */
  timeoutMs?: number;
  /** fast-check seed (default random); with `path`, replays one failure. */
  seed?: number;
  path?: string;
  /** Shrink a failing batch (slow: each attempt resends a batch); default off, the report names the request. */
  shrink?: boolean;
  /** Called after each batch. */
  onBatch?: (stats: FuzzStats) => void;
}

/** Figures of a run. */
export interface FuzzStats {
  requests: number;
  batches: number;
  /** First response's status → count; `closed`: closed without a response; `hung`: neither. */
  statuses: Record<string, number>;
  /** Request kind → count. */
  kinds: Record<string, number>;
  hangs: number;
  crashes: number;
  findings: number;
  maxMs: number;
  documentedErrors: Record<string, number>;
  maxRss: number;
  elapsedMs: number;
}

/** The result of {@link runFuzz}. */
export interface FuzzResult {
  readonly stats: FuzzStats;
  readonly seed: number;
  readonly failed: boolean;
  /** The failure with the command that replays it, or `undefined`. */
  readonly report: string | undefined;
}

/**
 * Bytes of a request, printable: latin1 with JSON string escapes, runs of one character over 16 long written
 * `⟨c×n⟩`, cut to `max` characters. The seed and path replay the exact bytes.
 */
export function showBytes(bytes: Buffer, max = 2000): string {
  const text = JSON.stringify(bytes.toString("latin1")).replace(/(.)\1{16,}/g, (run, c: string) => `⟨${c}×${run.length}⟩`);
  return text.length > max ? `${text.slice(0, max)}… (${bytes.length} bytes in all)` : `${text} (${bytes.length} bytes)`;
}

class FuzzFailure extends Error {
  constructor(readonly finding: Finding | undefined, message: string) {
    super(message);
  }
}

function describeFinding(f: Finding): string {
  const statuses = f.exchange?.responses.map((r) => r.status).join(", ") || "none";
  return [
    `finding: ${f.reason}`,
    `request kind: ${f.fuzzCase.kind}; ${f.fuzzCase.method} ${f.fuzzCase.target.slice(0, 200)}`,
    `responses: ${statuses}; closed: ${f.exchange?.closed ?? "?"}`,
    `request bytes (latin1, JSON-escaped): ${showBytes(f.fuzzCase.bytes)}`,
  ].join("\n");
}

/** Sends `cases` with at most `concurrency` connections open; resolves with the findings. */
async function sendAll(port: number, cases: readonly FuzzCase[], concurrency: number, timeoutMs: number, stats: FuzzStats): Promise<Finding[]> {
  const findings: Finding[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      let finding: Finding | undefined;
      try {
        const result = await runCase(port, c, timeoutMs);
        finding = result.finding;
        const first = result.exchange.responses[0];
        const key = first ? String(first.status) : result.exchange.hung ? "hung" : "closed";
        stats.statuses[key] = (stats.statuses[key] ?? 0) + 1;
        stats.maxMs = Math.max(stats.maxMs, Math.round(result.exchange.ms));
        if (result.exchange.hung) stats.hangs++;
      } catch (error) {
        finding = { reason: `the fuzzer itself failed: ${String(error)}`, fuzzCase: c };
      }
      stats.requests++;
      const kind = c.kind.split("/")[0]!;
      stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
      if (finding) findings.push(finding);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  return findings;
}

/**
 * After a batch broke the server: resends its requests one at a time to a fresh server, checking after each that
 * it still answers, and returns the first request that breaks it (`undefined` if none does alone).
 */
async function isolate(cases: readonly FuzzCase[], timeoutMs: number): Promise<Finding | undefined> {
  let server = await startFuzzServer();
  try {
    for (const c of cases) {
      const { exchange } = await runCase(server.port, c, timeoutMs);
      const alive = await probe(server.port, 2000).then(
        () => true,
        () => false,
      );
      if (!alive) {
        await new Promise((r) => setTimeout(r, 200));
        return { reason: `the server stopped answering:\n${server.stderr().slice(-2000)}`, fuzzCase: c, exchange };
      }
    }
    return undefined;
  } finally {
    await server.stop();
  }
}

/** Runs the fuzzer against a fresh fuzz server; never throws for findings (they are in the result). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const batch = options.batch ?? 250;
  const concurrency = options.concurrency ?? 64;
  const timeoutMs = options.timeoutMs ?? 5000;
  const numRuns = Math.max(1, Math.ceil(options.requests / batch));
  const stats: FuzzStats = { requests: 0, batches: 0, statuses: {}, kinds: {}, hangs: 0, crashes: 0, findings: 0, maxMs: 0, documentedErrors: {}, maxRss: 0, elapsedMs: 0 };
  const started = performance.now();
  let server = await startFuzzServer();
  try {
    const property = fc.asyncProperty(fc.array(fuzzCaseArb, { minLength: batch, maxLength: batch }), async (cases) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) server = await startFuzzServer();
      const findings = await sendAll(server.port, cases, concurrency, timeoutMs, stats);
      stats.batches++;
      stats.findings += findings.length;
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        stats.crashes++;
        throw new FuzzFailure(undefined, `the server process died (exit ${server.child.exitCode ?? server.child.signalCode}) during this batch:\n${server.stderr().slice(-4000)}`);
      }
      let state: ProbeState;
      try {
        state = await probe(server.port);
      } catch (error) {
        await new Promise((r) => setTimeout(r, 200)); // let a dying process report its exit
        const dead = server.child.exitCode !== null || server.child.signalCode !== null;
        if (dead) stats.crashes++;
        const how = dead ? `the server process died (exit ${server.child.exitCode ?? server.child.signalCode})` : "the server is alive";
        const culprit = await isolate(cases, timeoutMs);
        throw new FuzzFailure(culprit, `the known-good request failed after this batch: ${String(error)}; ${how}:\n${server.stderr().slice(-4000)}${culprit ? `\nthe request that does it, found by resending the batch one by one:\n${describeFinding(culprit)}` : ""}`);
      }
      stats.documentedErrors = state.documented;
      stats.maxRss = Math.max(stats.maxRss, state.rss);
      options.onBatch?.(stats);
      if (findings.length > 0) throw new FuzzFailure(findings[0], `${findings.length} finding(s) in this batch; the first:\n${describeFinding(findings[0]!)}`);
      if (state.polluted.length > 0) throw new FuzzFailure(undefined, `prototype pollution after this batch: ${state.polluted.join(", ")}`);
      if (state.unexpected.length > 0) throw new FuzzFailure(undefined, `unexpected errors were logged during this batch:\n${state.unexpected.join("\n---\n").slice(0, 4000)}`);
    });
    const details = await fc.check(property, {
      numRuns,
      seed: options.seed,
      path: options.path,
      endOnFailure: !options.shrink,
      // A failing batch is reported as is: its bytes are in the message.
      reporter: undefined,
    });
    // Every yield dependency that was entered is torn down once the server is idle.
    const end = Date.now() + 3000;
    let state: ProbeState | undefined;
    let lastProbe: unknown;
    while (Date.now() < end) {
      state = await probe(server.port).catch((error: unknown) => void (lastProbe = error));
      if (state !== undefined && state.generators.entered === state.generators.closed) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    stats.elapsedMs = Math.round(performance.now() - started);
    let report: string | undefined;
    if (details.failed) {
      const error = details.errorInstance;
      report = [
        `fuzzing failed after ${stats.requests} requests (seed ${details.seed}, path ${details.counterexamplePath}):`,
        error instanceof Error ? error.message : String(error),
        `replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx tsx bench/fuzz.ts --batch ${batch}`,
      ].join("\n");
    } else if (state === undefined) {
      report = `the server stopped answering after the last batch (${String(lastProbe)}):\n${server.stderr().slice(-4000)}`;
    } else if (state.generators.entered !== state.generators.closed) {
      report = `yield dependencies leaked: ${state.generators.entered} entered, ${state.generators.closed} torn down (seed ${details.seed})`;
    }
    return { stats, seed: details.seed, failed: report !== undefined, report };
  } finally {
    await server.stop();
  }
}
