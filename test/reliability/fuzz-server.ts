/**
 * Runs the fuzz target in its own process, so that a crash is seen as the process exiting rather than as a
 * failing test: `node --import tsx test/reliability/fuzz-server.ts`. Prints `{"port":…}` on one line once it
 * listens. Short timeouts (override with FUZZ_HEADERS_TIMEOUT / FUZZ_REQUEST_TIMEOUT, in ms) make truncated
 * requests end quickly with a 408.
 */
import { serve } from "../../src/index.ts";
import { buildFuzzApp } from "./fuzz-app.ts";

const { app } = buildFuzzApp();
const headersTimeout = Number(process.env.FUZZ_HEADERS_TIMEOUT ?? 300);
const requestTimeout = Number(process.env.FUZZ_REQUEST_TIMEOUT ?? 600);
const server = await serve(app, { port: 0, announce: false, headersTimeout, requestTimeout, keepAliveTimeout: 2000 });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
