/** Redis for the broadcast tests: a reachability check that fails with the fix, and a unique channel prefix. */
import { randomUUID } from "node:crypto";
import { reachable } from "../reachable.ts";

export const REDIS_URL = "redis://127.0.0.1:6379";

/** Fails (never skips) when Redis is down, saying how to start it. */
export async function requireRedis(): Promise<void> {
  if (!(await reachable(6379))) throw new Error("Redis is not reachable on 127.0.0.1:6379: run `bash scripts/setup-services.sh`");
}

/** A channel prefix no other test run shares. */
export function uniquePrefix(): string {
  return `typefast-test:${randomUUID()}:`;
}
