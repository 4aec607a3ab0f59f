// Running wrk (1 thread, pinned to the load-generator core) and reading its report.
import { spawn, spawnSync } from "node:child_process";
import { liveChildren } from "./servers.mjs";

/** The command that installs wrk on Debian/Ubuntu (without sudo when already root). */
export function wrkInstallCommand() {
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  return `${sudo}apt-get update && ${sudo}apt-get install -y wrk`;
}

/** wrk's version line, or null when it is not installed. */
export function wrkVersion() {
  const r = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  if (r.error) return null;
  return (r.stdout + r.stderr).split("\n")[0].trim();
}

export function hasTaskset() {
  return !spawnSync("taskset", ["-c", "0", "true"]).error;
}

const UNIT_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
}

/** Pull the numbers we keep out of wrk's text report (run with --latency). */
export function parseWrk(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : 0;
  };
  const latency = {};
  for (const m of out.matchAll(/^\s+(50|75|90|99)%\s+(\S+)/gm)) latency[`p${m[1]}`] = toMs(m[2]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: rps ? Number(rps[1]) : NaN,
    requests: num(/(\d+) requests in/),
    latencyMs: latency,
    non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
    socketErrors: errs ? { connect: +errs[1], read: +errs[2], write: +errs[3], timeout: +errs[4] } : null,
  };
}

/**
 * Run `taskset -c <core> wrk -t1 -c<connections> -d<seconds>s --latency [-H header…] [-s script] <url>`.
 * Resolves to parseWrk's result plus `ok` (no socket errors, no non-2xx) and the raw text.
 * `onStart(pid)` is called as soon as wrk is spawned.
 */
export function runWrk({ url, seconds, connections, script, headers = {}, core = 1, onStart }) {
  const args = ["-c", String(core), "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  if (script) args.push("-s", script);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    liveChildren.add(child);
    onStart?.(child.pid); // taskset execs wrk, so this is wrk's pid
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const killer = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(killer);
      liveChildren.delete(child);
      const r = parseWrk(out);
      if (code !== 0 || Number.isNaN(r.rps)) return reject(new Error(`wrk failed (exit ${code}):\n${out.trim()}`));
      const errors = r.socketErrors ? Object.values(r.socketErrors).reduce((a, b) => a + b, 0) : 0;
      resolve({ ...r, ok: errors === 0 && r.non2xx === 0, raw: out });
    });
  });
}
