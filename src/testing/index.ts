/**
 * `typefast/testing`: FastAPI's `TestClient` for Typefast apps, plus the lower-level in-process `inject`.
 *
 * @example
 * import { TestClient } from "typefast/testing";
 *
 * await using client = await new TestClient(app).start();
 * const res = await client.get("/items/1");
 * expect(res.json()).toEqual({ id: 1 });
 *
 * @module typefast/testing
 */
export { inject } from "./inject.ts";
export type { InjectRequest, InjectResponse, RawHandler } from "./inject.ts";
export { encodeMultipart, escapeDispositionValue, guessContentType } from "./multipart-encode.ts";
export type { EncodedMultipart, FileSpec } from "./multipart-encode.ts";
export { TestClient, TestResponse } from "./test-client.ts";
export type { ClientApp, FormValue, QueryValue, RequestOptions, TestClientOptions } from "./test-client.ts";
export { WebSocketHandshakeError, WebSocketTestSession, connectWebSocket } from "./websocket-client.ts";
export type { UpgradeTarget, WebSocketConnectOptions } from "./websocket-client.ts";
