/**
 * An app's OpenAPI document: generated from its routes on first use, customized once, cached until a route is
 * added (or `app.openapiSchema` is reset). Serving `/openapi.json` only reads the cache.
 */
import type { Logger } from "../logger.ts";
import { Route } from "../routing/route.ts";
import type { Router } from "../routing/router.ts";
import { generateOpenAPI } from "./generate.ts";
import { extraResponseModels } from "./responses.ts";
import type { ContactObject, LicenseObject, OpenAPIDocument, ServerObject, TagObject } from "./types.ts";

/** App options of the OpenAPI document. */
export interface OpenAPIOptions {
  /** Where the document is served (default `"/openapi.json"`); `null` serves neither it nor the docs pages. */
  openapiUrl?: string | null;
  /** `info.summary`: a one-line summary of the API. */
  summary?: string;
  /** `info.termsOfService`: a URL. */
  termsOfService?: string;
  /** `info.contact`: `{ name, url, email }`. */
  contact?: ContactObject;
  /** `info.license`: `{ name, identifier }` (SPDX) or `{ name, url }`. */
  license?: LicenseObject;
  /** Descriptions (and order) of the tags used by the routes: `[{ name: "items", description: "…" }]`. */
  openapiTags?: readonly TagObject[];
  /** `servers`; a mounted app's root path is added in front automatically. */
  servers?: readonly ServerObject[];
  /** Webhooks: requests your API sends, declared like routes with the event name as path (default: `app.webhooks`). */
  webhooks?: Router;
}

/** Post-processes the generated document; return a new document or change the given one in place. */
export type OpenAPICustomizer<A> = (document: OpenAPIDocument, app: A) => OpenAPIDocument | void;

/** What the generator reads from the app. */
export interface OpenAPIHost {
  readonly title: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly rootPath: string;
  readonly routes: readonly Route[];
  readonly webhooks: Router;
  readonly logger: Logger;
}

/** The document cache and customizers of one app. */
export class AppOpenAPI<A extends OpenAPIHost> {
  readonly #options: OpenAPIOptions;
  readonly #customizers: OpenAPICustomizer<A>[] = [];
  #schema: OpenAPIDocument | undefined;
  #rootPath = "";

  constructor(options: OpenAPIOptions) {
    this.#options = options;
  }

  /** The cached document, or `undefined` before the first generation (or after a reset). */
  get schema(): OpenAPIDocument | undefined {
    return this.#schema;
  }

  set schema(document: OpenAPIDocument | undefined) {
    this.#schema = document;
    this.#rootPath = "";
  }

  /** The document: cached, or generated now (then customized and cached). */
  document(app: A): OpenAPIDocument {
    // A later mount() changes the root path, which the document's `servers` depends on.
    if (this.#schema !== undefined && this.#rootPath === app.rootPath) return this.#schema;
    let document = this.generate(app);
    for (const customize of this.#customizers) document = customize(document, app) ?? document;
    this.#schema = document;
    this.#rootPath = app.rootPath;
    return document;
  }

  /** A fresh, uncustomized document from the app's current routes. */
  generate(app: A): OpenAPIDocument {
    const o = this.#options;
    const servers = [...(o.servers ?? [])];
    if (app.rootPath !== "" && !servers.some((s) => s.url === app.rootPath)) servers.unshift({ url: app.rootPath });
    const webhooks = app.webhooks.definitions.map(
      (d) => new Route(d.methods, d.path.startsWith("/") ? d.path : `/${d.path}`, d.options, d.handler),
    );
    return generateOpenAPI({
      title: app.title,
      version: app.version,
      summary: o.summary,
      description: app.description,
      termsOfService: o.termsOfService,
      contact: o.contact,
      license: o.license,
      routes: app.routes,
      webhooks,
      tags: o.openapiTags,
      servers,
      logger: app.logger,
    });
  }

  /** Adds a customizer; the next read regenerates. */
  customize(fn: OpenAPICustomizer<A>): void {
    this.#customizers.push(fn);
    this.#schema = undefined;
  }

  /** Checks what only the document uses (extra response models) and drops the cached document. */
  routeAdded(route: Route): void {
    extraResponseModels(route);
    this.#schema = undefined;
  }
}
