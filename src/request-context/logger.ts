import { consoleLogger, type Logger } from "../logger.ts";
import { requestIdVar } from "./context-var.ts";

/**
 * Options of {@link contextLogger}.
 *
 * @example
 * const log = contextLogger(consoleLogger, { idLength: 8, missing: "no-request" });
 */
export interface ContextLoggerOptions {
  /** Show only the first `idLength` characters of the id (default: all of it). */
  idLength?: number;
  /** Shown when there is no request id (outside a request, or no `RequestIdMiddleware`); default `-`. */
  missing?: string;
}

/**
 * A logger that stamps every line with the current request's id — `[a7c3f2e1] Fetching item 42` — so all lines of
 * one request can be found together, without passing the id around. Give it to the app too
 * (`new App({ logger: contextLogger() })`), so failures the framework reports (a failed background task) carry the
 * id of the request they belong to.
 *
 * @example
 * const log = contextLogger(consoleLogger, { idLength: 8 });
 * app.get("/items/{id}", { params: { id: Path(z.int()) } }, ({ id }) => { log.info(`Fetching item ${id}`); … });
 */
export function contextLogger(base: Logger = consoleLogger, options: ContextLoggerOptions = {}): Logger {
  const missing = options.missing ?? "-";
  const stamp = (message: string): string => {
    const id = requestIdVar.peek();
    const shown = id === undefined ? missing : options.idLength === undefined ? id : id.slice(0, options.idLength);
    return `[${shown}] ${message}`;
  };
  return {
    error: (message, error) => (error === undefined ? base.error(stamp(message)) : base.error(stamp(message), error)),
    warn: (message) => base.warn(stamp(message)),
    info: (message) => base.info(stamp(message)),
  };
}
