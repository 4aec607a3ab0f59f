/** Redis for the broadcast tests: a reachability check that fails with the fix, and a unique channel prefix. */
import net from "node:net";
import { randomUUID } from "node:crypto";

export const REDIS_URL = "redis://127.0.0.1:6379";

/** Fails (never skips) when Redis is down, saying how to start it. */
export async function requireRedis(): Promise<void> {
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect(6379, "127.0.0.1");
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  if (!reachable) throw new Error("Redis is not reachable on 127.0.0.1:6379: run `bash scripts/setup-services.sh`");
}

/** A channel prefix no other test run shares. */
export function uniquePrefix(): string {
  return `typefast-test:${randomUUID()}:`;
}
