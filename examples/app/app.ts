/**
 * The flagship app, assembled: settings → services (database, Redis, cache, pub/sub) → dependencies → routers,
 * sub-apps, middleware and error handling. `createApp()` builds a fresh instance (tests build several);
 * `app` is the one `main.ts` serves and `src/cli/openapi.ts` documents.
 */
import { App, Health, RequestIdMiddleware } from "../../src/index.ts";
import { installChat } from "./chat.ts";
import { buildDeps, type AppDeps } from "./deps.ts";
import { installErrorEnvelope } from "./errors.ts";
import { ItemFeed } from "./feed.ts";
import { accessLog, jsonLogger, type LogSink } from "./logging.ts";
import { adminRouter, reportsRouter } from "./routers/admin.ts";
import { authRouter } from "./routers/auth.ts";
import { authorsRouter } from "./routers/authors.ts";
import { itemsRouter } from "./routers/items.ts";
import { Services } from "./services.ts";
import { loadSettings, type AppSettings } from "./settings.ts";
import { createV1 } from "./v1.ts";
import { createV2 } from "./v2.ts";

export interface CreateAppOptions {
  /** Where log lines go (default: standard output); tests collect them. */
  log?: LogSink;
  /** Adds routes of your own, with the app's dependencies (a transaction, the current user…), before serving. */
  extend?: (app: App<Services>, deps: AppDeps) => void;
}

/** Builds the app for `settings`. Nothing connects until startup (the lifespan), so building is cheap and safe. */
export function createApp(settings: AppSettings = loadSettings(), options: CreateAppOptions = {}): App<Services> {
  const logger = jsonLogger(settings.log_level, options.log);
  const services = new Services(settings, logger);
  const deps = buildDeps(services);
  const feed = new ItemFeed(services.broadcaster, () => services.db);
  let closeChat: () => Promise<void> = async () => undefined;

  // Seed example 40: open the resources before the first request, close them after the last.
  async function* lifespan(): AsyncGenerator<Services, void, undefined> {
    try {
      await services.start();
    } catch (error) {
      await services.close();
      throw error;
    }
    try {
      yield services; // becomes app.state
    } finally {
      await closeChat();
      await services.close();
    }
  }

  const app = new App<Services>({
    title: settings.app_name,
    version: "1.0.0",
    description:
      "The Typefast flagship: a shop and a library on SQLite or PostgreSQL. Click **Authorize** and log in with a demo " +
      "account printed at startup (`admin`, `analyst` or `demo`). Versioned catalog: [v1](/v1/docs), [v2](/v2/docs).",
    logger,
    lifespan,
  });

  installErrorEnvelope(app, logger);
  // Inner first: the access log runs inside the request context that RequestIdMiddleware (outermost) opens.
  app.middleware(accessLog(logger, { serverTiming: settings.server_timing }));
  app.addMiddleware(RequestIdMiddleware);

  app.get("/", { summary: "Where to start", tags: ["meta"] }, function home() {
    return {
      name: settings.app_name,
      docs: "/docs",
      versions: { v1: "/v1/docs", v2: "/v2/docs" },
      chat: "/chat",
      live_items: "/items/events",
      health: { live: "/health/live", ready: "/health/ready" },
    };
  });

  app.includeRouter(authRouter(deps));
  app.includeRouter(feed.router()); // before the items router only for readability: static paths win anyway
  app.includeRouter(itemsRouter(deps, feed));
  app.includeRouter(authorsRouter(deps));
  app.includeRouter(adminRouter(deps));
  app.includeRouter(reportsRouter(deps));
  app.includeRouter(new Health(app, { checks: services.healthChecks(), timeout: 2 }).router());

  const chat = installChat(app, services.broadcaster);
  closeChat = () => chat.close();

  options.extend?.(app, deps);
  app.mount("/v1", createV1(deps));
  app.mount("/v2", createV2(deps));
  return app;
}

/** The app `npm start` serves, configured from the environment and `.env`. */
export const app = createApp();
