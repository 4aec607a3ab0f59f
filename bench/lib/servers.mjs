// Starting and stopping one benchmark server as a child process pinned to a CPU core.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT_DIR = path.resolve(BENCH_DIR, "..");

/** name -> how to run it with node. Typefast runs from dist/ (see build.mjs). */
export const SERVERS = {
  raw: { file: "servers/raw.mjs", nodeArgs: [] },
  fastify: { file: "servers/fastify.mjs", nodeArgs: [] },
  hono: { file: "servers/hono.mjs", nodeArgs: [] },
  typefast: { file: "servers/typefast.mjs", nodeArgs: [], needsBuild: true },
};

export function parseServerList(list) {
  const names = (list ?? Object.keys(SERVERS).join(",")).split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!SERVERS[n]) throw new Error(`unknown server "${n}" (known: ${Object.keys(SERVERS).join(", ")})`);
  }
  return names;
}

/** Children still alive, so the runner can kill them if it is interrupted. */
export const liveChildren = new Set();

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released for the child to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start server `name` pinned to `core` (taskset execs node, so the child pid is node's own) and wait until
 * its port accepts connections. Returns { name, port, pid, stop() }.
 */
export async function startServer(name, { core = 0, readyTimeoutMs = 20_000 } = {}) {
  const def = SERVERS[name];
  const port = await freePort();
  const args = ["-c", String(core), process.execPath, ...def.nodeArgs, path.join(BENCH_DIR, def.file)];
  const child = spawn("taskset", args, {
    cwd: ROOT_DIR,
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveChildren.add(child);
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      liveChildren.delete(child);
      resolve(exited);
    }),
  );
  child.once("error", (err) => keep(`spawn error: ${err.message}\n`));

  const deadline = Date.now() + readyTimeoutMs;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`${name} exited before listening (code ${exited.code}, signal ${exited.signal}):\n${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exitPromise;
      throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${readyTimeoutMs} ms:\n${output.trim()}`);
    }
    await sleep(25);
  }

  return {
    name,
    port,
    pid: child.pid,
    output: () => output,
    /** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves to { clean, code, signal }. */
    async stop(graceMs = 5000) {
      if (!exited) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const res = await exitPromise;
      clearTimeout(timer);
      return { clean: res.code === 0 || res.signal === "SIGTERM", ...res };
    },
  };
}

/** Kill whatever this process started that is still running (on Ctrl-C or a crash). */
export function killLiveChildren() {
  for (const child of liveChildren) child.kill("SIGKILL");
}
