/**
 * A small `.env` reader: `KEY=value` lines, `#` comments, an optional `export ` prefix, single quotes (literal),
 * double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may span lines), and ` #` comments after unquoted values.
 * Variables are not expanded (`$OTHER` stays as written): expansion is a frequent source of leaked secrets.
 */
import { readFileSync } from "node:fs";
import { TypefastError } from "../errors/typefast-error.ts";

/**
 * Parses the text of a `.env` file into variables; a malformed line throws `TF_DOTENV` naming its line number.
 *
 * @example
 * parseDotenv('APP_NAME="My API"\nDEBUG=true # local only\n'); // { APP_NAME: "My API", DEBUG: "true" }
 */
export function parseDotenv(text: string, source = ".env"): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) throw new TypefastError("TF_DOTENV", `${source}, line ${i + 1}: expected KEY=value.`);
    const key = match[1]!;
    let rest = match[2]!;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end === -1) throw new TypefastError("TF_DOTENV", `${source}, line ${i + 1}: the single quote is never closed.`);
      out[key] = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      const start = i;
      let value = rest.slice(1);
      let end = closingQuote(value);
      while (end === -1 && i + 1 < lines.length) {
        value += "\n" + lines[++i]!;
        end = closingQuote(value);
      }
      if (end === -1) throw new TypefastError("TF_DOTENV", `${source}, line ${start + 1}: the double quote is never closed.`);
      out[key] = unescape(value.slice(0, end));
    } else {
      const comment = rest.search(/\s#/);
      if (comment !== -1) rest = rest.slice(0, comment);
      out[key] = rest.trim();
    }
  }
  return out;
}

/**
 * Reads and parses a `.env` file; a missing file gives `{}` (as pydantic-settings: the file is optional).
 *
 * @example
 * const vars = readDotenv(".env");
 */
export function readDotenv(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  return parseDotenv(text, path);
}

function closingQuote(value: string): number {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "\\") i++;
    else if (value[i] === '"') return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (whole, ch: string) => ESCAPES[ch] ?? whole);
}
