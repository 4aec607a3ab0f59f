// Types of build.mjs, for the TypeScript benches.
export function ensureBuilt(): void;
