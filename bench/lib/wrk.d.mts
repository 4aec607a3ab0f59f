// Types of wrk.mjs, for the TypeScript benches.
export interface WrkResult {
  rps: number;
  requests: number;
  latencyMs: { p50?: number; p75?: number; p90?: number; p99?: number };
  non2xx: number;
  ok: boolean;
  raw: string;
}
export function wrkInstallCommand(): string;
export function wrkVersion(): string | null;
export function hasTaskset(): boolean;
export function runWrk(options: {
  url: string;
  seconds: number;
  connections: number;
  script?: string;
  headers?: Record<string, string>;
  core?: number;
  onStart?: (pid: number) => void;
}): Promise<WrkResult>;
