/**
 * Typefast — FastAPI's programming model in TypeScript, on Node.js.
 * The public API: everything not exported here is internal.
 *
 * @module typefast
 */
export { App, type AppOptions } from "./app.ts";
export { serve, type Server, type ServeOptions } from "./server/serve.ts";
export { MAX_WORKERS, type ClusterPrimary } from "./server/primary.ts";
export { supervise, type Supervisor, type SupervisorOptions, type SupervisorLog, type WorkersAddress } from "./server/cluster.ts";

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
export { Router, type RouterOptions, type WebSocketDefinition } from "./routing/router.ts";
export type { HttpMethod } from "./routing/registrar.ts";
export { BaseHTTPMiddleware, type MiddlewareFn, type CallNext } from "./middleware/middleware.ts";

// OpenAPI and docs
export { generateOpenAPI, type GenerateOpenAPIOptions } from "./openapi/generate.ts";
export type { OpenAPIOptions, OpenAPICustomizer } from "./openapi/app-openapi.ts";
export type {
  OpenAPIDocument,
  InfoObject,
  ContactObject,
  LicenseObject,
  ServerObject,
  TagObject,
  PathItemObject,
  OperationObject,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
  MediaTypeObject,
  ComponentsObject,
  SchemaObject,
  SecurityRequirementObject,
} from "./openapi/types.ts";
export type { DocsOptions } from "./docs/register.ts";
export type { DocsAssetUrls } from "./docs/assets.ts";
export { swaggerUiHtml, swaggerUiOAuth2RedirectHtml, type SwaggerUiPage } from "./docs/swagger-ui.ts";
export { redocHtml, type RedocPage } from "./docs/redoc.ts";

// Models
export { model, fieldsSet, pickFieldsSet, Model, type Shape, type ModelOutput, type ModelReturns } from "./models/model.ts";
export { field, Field, type FieldOptions } from "./models/field.ts";
export { ModelSchema, ListOf, OptionalOf } from "./models/base.ts";
export type { ModelConfig, ExtraPolicy, ValidationContext, BeforeHook, AfterHook, ComputedField } from "./models/model-def.ts";
export type { SerializeOptions } from "./models/kind.ts";
export { toCamel, toPascal, toSnake, toKebab } from "./models/aliases.ts";
export { jsonable, stringifyJson } from "./models/jsonable.ts";
export { withJsonSchema, dateTime, int64, decimal, bytes } from "./models/types.ts";

// Realtime
export { WebSocket, type WebSocketMessage, type WebSocketState, type CloseInfo } from "./websocket/websocket.ts";
export { CloseCode, WebSocketDisconnect, WebSocketException, InvalidMessageError } from "./websocket/errors.ts";
export type { WebSocketRouteOptions, WebSocketHandler, WebSocketRoute, ReceivedMessage, SentMessage } from "./websocket/route.ts";
export { handleUpgrade, closeWebSockets } from "./websocket/upgrade.ts";
export type { WebSocketExceptionHandler } from "./websocket/exception-handlers.ts";
export { EventSourceResponse, LastEventId, type EventSourceInit, type EventStreamSpec } from "./sse/response.ts";
export { formatEvent, type ServerSentEvent } from "./sse/event.ts";
export type { EventProducer, EventIterable } from "./sse/pump.ts";
export { MemoryBroadcaster, type Broadcaster, type BroadcastListener, type Unsubscribe, type BroadcastErrorHandler } from "./broadcast/broadcaster.ts";
export { RedisBroadcaster, type RedisBroadcasterOptions } from "./broadcast/redis.ts";
export { ConnectionManager, type ConnectionManagerOptions, type BroadcastMessage } from "./broadcast/manager.ts";
export { asyncapiDocument, type AsyncAPIDocument, type AsyncAPISource } from "./asyncapi/document.ts";
export { serveAsyncAPI, ASYNCAPI_URL } from "./asyncapi/serve.ts";

// Security (also at `typefast/security`, with the lower-level challenge helpers)
export { Security, Scopes, SecurityScopes, SecurityScheme, requireScopes, roleGuard, compareSecrets } from "./security/index.ts";
export { HTTPBearer, HTTPBasic, APIKeyHeader, APIKeyQuery, APIKeyCookie } from "./security/index.ts";
export { OAuth2, OAuth2PasswordBearer, OAuth2AuthorizationCodeBearer, OpenIdConnect } from "./security/index.ts";
export { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "./security/index.ts";
export { AccessTokens, TokenError, PasswordHasher, hashPassword, verifyPassword, passwordNeedsRehash } from "./security/index.ts";
export type { SecurityOptions, SchemeOptions, HTTPAuthorizationCredentials, HTTPBasicCredentials, OAuthFlows, OAuth2Scopes } from "./security/index.ts";
export type { AccessTokensOptions, AccessTokenClaims, JWTAlgorithm, TokenErrorCode, PasswordHashOptions } from "./security/index.ts";

// Structure: mounting, middleware, request context, settings, caching, rate limiting, health
export type { Mountable } from "./app.ts";
export type { LifespanPhase } from "./lifespan.ts";
export { StaticFiles, type StaticFilesOptions } from "./static/static-files.ts";
export { CORSMiddleware, type CORSOptions } from "./middleware/cors.ts";
export { GZipMiddleware, type GZipOptions } from "./middleware/gzip.ts";
export { TrustedHostMiddleware, type TrustedHostOptions } from "./middleware/trusted-host.ts";
export { HTTPSRedirectMiddleware, type HTTPSRedirectOptions } from "./middleware/https-redirect.ts";
export { SecurityHeadersMiddleware, type SecurityHeadersOptions } from "./middleware/security-headers.ts";
export { RequestIdMiddleware, type RequestIdOptions } from "./middleware/request-id.ts";
export { ProxyList, type TrustedProxies } from "./middleware/forwarded.ts";
export { ContextVar, runInRequestContext, hasRequestContext, requestIdVar, currentUserVar, type ContextVarOptions } from "./request-context/context-var.ts";
export { RequestContextMiddleware } from "./request-context/middleware.ts";
export { contextLogger, type ContextLoggerOptions } from "./request-context/logger.ts";
export { defineSettings, Settings, SettingsError, type SettingsOptions, type SettingsProblem } from "./settings/define-settings.ts";
export { parseDotenv, readDotenv } from "./settings/dotenv.ts";
export { BaseCache, type Cache, type SetOptions } from "./cache/cache.ts";
export { MemoryCache, type MemoryCacheOptions } from "./cache/memory-cache.ts";
export { RedisCache, type RedisCacheOptions } from "./cache/redis-cache.ts";
export { memoize, type Memoized, type MemoizeOptions, type MemoInfo } from "./cache/memoize.ts";
export { RateLimiter, type RateLimiterOptions } from "./ratelimit/rate-limiter.ts";
export { MemoryRateLimitStore, type RateLimitStore, type RateLimitResult, type RateLimitAlgorithm, type MemoryRateLimitStoreOptions } from "./ratelimit/store.ts";
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./ratelimit/redis-store.ts";
export { Health, type HealthCheck, type HealthOptions, type HealthTarget } from "./health/health.ts";

// Misc
export { consoleLogger, silentLogger, type Logger } from "./logger.ts";
export type { LifespanFn } from "./lifespan.ts";
export type { StandardSchemaV1, InferInput, InferOutput } from "./schema/standard-schema.ts";

// Client (also at `typefast/client`, which imports no server code)
export { createClient, ClientError } from "./client/index.ts";
export type { Client, ClientFetch, ClientOptions, InProcessClient, TypedClient } from "./client/index.ts";
export type { RoutesOf, RouteTable, RouteRequest, RouteResponse, RequestOptionsOf, ResponseOf, WithPrefix, Jsonify } from "./client/index.ts";
export type { RouteInfo, RouteTypes, Registered } from "./routing/registrar.ts";
export type { ParamRequest } from "./params/param.ts";
