/** What the CLI commands print through, and where the launcher lives (children and workers start from it). */
import { fileURLToPath } from "node:url";

/** Where a command reports progress and problems (stderr by default, so `-o -` can write to stdout). */
export interface Output {
  info(message: string): void;
  error(message: string): void;
}

/** Prints to standard error, one line per message. */
export const stderrOutput: Output = {
  info: (message) => void process.stderr.write(`${message}\n`),
  error: (message) => void process.stderr.write(`${message}\n`),
};

/** `bin/typefast.mjs`, the same two levels up from `src/cli/` and from a built `dist/cli/`. */
export const LAUNCHER = fileURLToPath(new URL("../../bin/typefast.mjs", import.meta.url));
