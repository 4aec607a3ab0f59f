/** The real Redis the Redis-backed tests use. Unreachable means a failed test with the fix in the message, never a skip. */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_UNREACHABLE = "Redis is not reachable on 127.0.0.1:6379: run `bash scripts/setup-services.sh`";

/** A connected client to 127.0.0.1:6379, or an error saying how to start Redis. */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on("error", () => undefined); // reported through connect() below
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    redis.disconnect();
    throw new Error(REDIS_UNREACHABLE);
  }
  return redis;
}

/** A key prefix no other test run shares. */
export function uniquePrefix(what: string): string {
  return `typefast-test:${what}:${randomUUID()}:`;
}
