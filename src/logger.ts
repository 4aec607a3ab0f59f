/** Where Typefast reports what it cannot answer to the client: failed handlers, teardowns, background tasks. */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

/** Logs to the console, errors with their stack. */
export const consoleLogger: Logger = {
  error: (message, error) => (error === undefined ? console.error(message) : console.error(message, error)),
  warn: (message) => console.warn(message),
  info: (message) => console.info(message),
};

/** Discards everything (useful in tests that provoke errors on purpose). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {} };
