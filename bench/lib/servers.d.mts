// Types of servers.mjs, for the TypeScript benches.
import type { ChildProcess } from "node:child_process";
export const liveChildren: Set<ChildProcess>;
export function freePort(): Promise<number>;
export function killLiveChildren(): void;
