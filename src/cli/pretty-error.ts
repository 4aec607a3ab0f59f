/**
 * Startup errors as `typefast dev` prints them: the message, then a code frame at the first line of *your* code
 * involved — the position a TypeScript syntax error names, else the top stack frame outside `node_modules` and
 * Node's internals.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** A position in a source file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Formats an error with its location and a code frame (three lines around it, a caret under the column).
 *
 * @example process.stderr.write(formatError(error, process.cwd()));
 */
export function formatError(error: unknown, cwd: string, color = false): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  const title = `${err.name}${typeof code === "string" && code.startsWith("TF_") ? ` [${code}]` : ""}: ${firstLines(err.message)}`;
  const location = locate(err);
  const lines = [paint(31, title)];
  if (location !== undefined) {
    const where = relative(cwd, location.file);
    lines.push(`  at ${where.startsWith("..") ? location.file : where}:${location.line}:${location.column}`);
    const frame = codeFrame(location);
    if (frame !== undefined) lines.push("", frame);
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause !== err) lines.push("", `Caused by: ${formatError(cause, cwd, color)}`.trimEnd());
  return `${lines.join("\n")}\n`;
}

/** Where an error points into user code, if anywhere. */
export function locate(error: Error): SourceLocation | undefined {
  // esbuild (through tsx) reports syntax errors as "path:line:col: ERROR: message".
  const syntax = /^(.+?):(\d+):(\d+): ERROR: /m.exec(error.message);
  if (syntax) return { file: syntax[1], line: Number(syntax[2]), column: Number(syntax[3]) + 1 };
  for (const raw of (error.stack ?? "").split("\n").slice(1)) {
    const m = /^at (?:.*? \()?((?:file:\/\/)?\/.+?|[A-Za-z]:\\.+?):(\d+):(\d+)\)?$/.exec(raw.trim());
    if (!m) continue;
    const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    if (file.includes("/node_modules/") || file.includes("\\node_modules\\")) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/**
 * The lines around `location`, numbered, with a caret under the column; undefined when the file is unreadable.
 *
 * @example codeFrame({ file: "src/app.ts", line: 12, column: 5 })
 */
export function codeFrame(location: SourceLocation, context = 2): string | undefined {
  let source: string;
  try {
    source = readFileSync(location.file, "utf8");
  } catch {
    return undefined;
  }
  const lines = source.split(/\r?\n/);
  if (location.line < 1 || location.line > lines.length) return undefined;
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const mark = n === location.line ? ">" : " ";
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === location.line) out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, location.column - 1))}^`);
  }
  return out.join("\n");
}

function firstLines(message: string): string {
  // esbuild repeats the position inside the message; keep what the user needs to read.
  return message.replace(/^Transform failed with \d+ errors?:\n/, "").replace(/^.+?:\d+:\d+: ERROR: /m, "");
}
