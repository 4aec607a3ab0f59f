/**
 * Typefast — FastAPI's programming model in TypeScript, on Node.js.
 * The public API: everything not exported here is internal.
 */
export { App, type AppOptions } from "./app.ts";
export { serve, type Server, type ServeOptions } from "./server/serve.ts";

// Parameters and dependencies
export { Path, Query, Header, Cookie, Body, Form, File, Files, Param } from "./params/param.ts";
export type { ParamOptions, HeaderOptions, BodyOptions, FileOptions, ParamSource } from "./params/param.ts";
export type { InferParams, ParamsSpec, Marker, ValueOf } from "./params/marker.ts";
export { Depends, Dependency } from "./di/depends.ts";
export type { DependsOptions, DependencyScope, Injectable, DependencyFn, Resolved } from "./di/depends.ts";
export { DependencyOverrides, type DependencyRef, type OverrideHandle } from "./di/overrides.ts";

// Requests, responses, context
export type { RequestContext } from "./context.ts";
export { Request, type RequestLimits } from "./http/request.ts";
export { ResponseParams } from "./http/response-params.ts";
export { Response, JSONResponse, HTMLResponse, PlainTextResponse, RedirectResponse } from "./http/response.ts";
export type { ResponseInit } from "./http/response.ts";
export { FileResponse } from "./http/file-response.ts";
export { StreamingResponse, NDJSONResponse, ndjson } from "./http/streaming-response.ts";
export { UploadFile } from "./http/upload-file.ts";
export { FormData } from "./http/form-data.ts";
export type { CookieOptions } from "./http/cookies.ts";
export { BackgroundTasks } from "./background.ts";

// Errors
export { HTTPException } from "./errors/http-exception.ts";
export { RequestValidationError, ResponseValidationError, type ErrorDetail } from "./errors/validation-error.ts";
export { TypefastError } from "./errors/typefast-error.ts";
export type { ExceptionHandler } from "./errors/exception-handlers.ts";

// Routing and middleware
export type { Route } from "./routing/route.ts";
export type { RouteOptions, Handler, ResponseSpec, HandlerResult } from "./routing/route-options.ts";
export { Router, type RouterOptions } from "./routing/router.ts";
export type { HttpMethod } from "./routing/registrar.ts";
export { BaseHTTPMiddleware, type MiddlewareFn, type CallNext } from "./middleware/middleware.ts";

// Misc
export { consoleLogger, silentLogger, type Logger } from "./logger.ts";
export type { LifespanFn } from "./lifespan.ts";
export type { StandardSchemaV1, InferInput, InferOutput } from "./schema/standard-schema.ts";
