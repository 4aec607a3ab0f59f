// Types of probe.mjs, for the TypeScript benches.
export type CoreTimes = Record<number, number>;
export class CpuGuard {
  constructor(options?: { cores?: number[]; threshold?: number });
  start(seed?: number): Promise<void>;
  stop(): Promise<void>;
  probe(): Promise<CoreTimes>;
  judge(before: CoreTimes, after?: CoreTimes): { ok: boolean; reason: string };
  waitForCalm(options?: { timeoutMs?: number; everyMs?: number }): Promise<{ calm: boolean; reason?: string }>;
}
