/**
 * Several worker processes on one port, with `node:cluster` — what `serve({ workers: N })` would do if Typefast's
 * `serve()` had the option (it has not, yet). The primary prepares the database once (migrations, demo data),
 * forks the workers, replaces one that crashes, and on SIGTERM/SIGINT lets every worker drain gracefully.
 *
 * The workers share nothing in memory: run them on PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`) so rate
 * limits, the cache, the chat and the live feed are shared.
 */
import cluster, { type Worker } from "node:cluster";

export interface ClusterOptions {
  workers: number;
  /** Runs once in the primary before any worker starts (migrations: workers must not race over them). */
  prepare?: () => Promise<void>;
  /** Called in the primary once every worker listens, with the shared address. */
  onListening?: (url: string) => void;
  /** Where the primary reports (default: the console). */
  log?: (message: string) => void;
  /** Milliseconds workers get to drain on shutdown before they are killed (default 15 000). */
  shutdownTimeout?: number;
}

/**
 * In the primary: prepare, fork `workers` processes running this same entry, supervise them. In a worker: run
 * `startWorker` (which calls `serve()`; the listening socket is shared through the primary).
 */
export async function runCluster(options: ClusterOptions, startWorker: () => Promise<void>): Promise<void> {
  if (cluster.isWorker) return startWorker();
  const log = options.log ?? ((message: string) => console.log(message));
  await options.prepare?.();

  let stopping = false;
  let listening = 0;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const fork = (): void => {
    const worker = cluster.fork({ TYPEFAST_WORKER: "1" });
    startedAt.set(worker, Date.now());
  };

  cluster.on("listening", (_worker, address) => {
    listening++;
    if (listening === options.workers) {
      const host = address.address === undefined || address.address === null ? "127.0.0.1" : address.address.includes(":") ? `[${address.address}]` : address.address;
      options.onListening?.(`http://${host}:${address.port}`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s`);
    // A worker that dies right after starting will keep dying (bad config, port taken): stop instead of looping.
    quickDeaths = lived < 5000 ? quickDeaths + 1 : 0;
    if (quickDeaths >= 3) {
      log("workers keep crashing at startup; stopping");
      void stop(1);
      return;
    }
    fork();
  });

  const stop = async (exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const exited = Promise.all(workers.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once("exit", () => resolve())))));
    for (const worker of workers) worker.process.kill("SIGTERM"); // each drains its requests, then exits
    const timer = setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill("SIGKILL");
    }, options.shutdownTimeout ?? 15_000);
    await exited;
    clearTimeout(timer);
    process.exit(exitCode);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));

  for (let i = 0; i < options.workers; i++) fork();
}
