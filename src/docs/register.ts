/**
 * The documentation routes of an app: `/openapi.json`, Swagger UI at `/docs` (with its OAuth2 redirect page),
 * ReDoc at `/redoc`, and the pages' assets. They are ordinary GET routes, hidden from the document.
 */
import { TypefastError } from "../errors/typefast-error.ts";
import { FileResponse } from "../http/file-response.ts";
import { HTMLResponse, JSONResponse, type Response } from "../http/response.ts";
import type { OpenAPIDocument } from "../openapi/types.ts";
import { cdnAssets, localAssets, type DocsAssetUrls } from "./assets.ts";
import { redocHtml } from "./redoc.ts";
import { swaggerUiHtml, swaggerUiOAuth2RedirectHtml } from "./swagger-ui.ts";

/** App options of the interactive docs. Every URL is a path inside the app; `null` turns that page off. */
export interface DocsOptions {
  /** Swagger UI (default `"/docs"`). */
  docsUrl?: string | null;
  /** ReDoc (default `"/redoc"`). */
  redocUrl?: string | null;
  /** The page OAuth2 logins in Swagger UI return to (default `"/docs/oauth2-redirect"`). */
  swaggerUiOAuth2RedirectUrl?: string | null;
  /** Swagger UI configuration merged over the defaults (`deepLinking`, `showExtensions`, …); JSON values only. */
  swaggerUiParameters?: Readonly<Record<string, unknown>>;
  /** Passed to Swagger UI's `initOAuth()`: `{ clientId, scopes, usePkceWithAuthorizationCodeGrant }`. */
  swaggerUiInitOAuth?: Readonly<Record<string, unknown>>;
  /**
   * Where the pages load Swagger UI and ReDoc from: `"local"` (default: served by the app from the installed
   * packages, works offline), `"cdn"` (jsDelivr, same versions), or your own URLs (the others stay local).
   */
  docsAssets?: "local" | "cdn" | DocsAssetUrls;
  /** Path prefix of the locally served assets (default `"/docs/assets"`). */
  docsAssetsUrl?: string;
}

/** What the docs routes need from the app; read at request time, so a later `mount()` is taken into account. */
export interface DocsHost {
  readonly title: string;
  readonly rootPath: string;
  openapi(): OpenAPIDocument;
}

/** Registers one hidden GET route. */
export type AddDocsRoute = (path: string, name: string, handler: () => Response) => void;

const YEAR = "public, max-age=31536000, immutable";

/** Registers the OpenAPI and docs routes that `openapiUrl` and `options` ask for. */
export function registerDocs(host: DocsHost, openapiUrl: string | null, options: DocsOptions, add: AddDocsRoute): void {
  if (openapiUrl === null) return;
  const docsUrl = checkUrl("docsUrl", options.docsUrl === undefined ? "/docs" : options.docsUrl);
  const redocUrl = checkUrl("redocUrl", options.redocUrl === undefined ? "/redoc" : options.redocUrl);
  const redirectUrl = checkUrl(
    "swaggerUiOAuth2RedirectUrl",
    options.swaggerUiOAuth2RedirectUrl === undefined ? "/docs/oauth2-redirect" : options.swaggerUiOAuth2RedirectUrl,
  );
  const assetsUrl = checkUrl("docsAssetsUrl", options.docsAssetsUrl ?? "/docs/assets")!;
  checkUrl("openapiUrl", openapiUrl);
  const custom: DocsAssetUrls = options.docsAssets === "cdn" ? cdnAssets() : options.docsAssets === "local" || options.docsAssets === undefined ? {} : options.docsAssets;

  add(openapiUrl, "openapi", () => new JSONResponse(host.openapi()));
  if (docsUrl === null && redocUrl === null) return;

  // Each asset is served only when a page uses it and no URL replaces it.
  const needed = new Set<keyof DocsAssetUrls>(["favicon"]);
  if (docsUrl !== null) for (const key of ["swaggerJs", "swaggerCss"] as const) needed.add(key);
  if (docsUrl !== null && redirectUrl !== null) needed.add("swaggerOAuth2RedirectJs");
  if (redocUrl !== null) needed.add("redocJs");
  const local = new Map<keyof DocsAssetUrls, string>();
  for (const asset of localAssets()) {
    if (!needed.has(asset.key) || custom[asset.key] !== undefined) continue;
    const path = `${assetsUrl}/${asset.path}`;
    local.set(asset.key, path);
    add(path, `docs_asset_${asset.key}`, () => new FileResponse(asset.file, { headers: { "cache-control": YEAR } }));
  }
  const url = (key: keyof DocsAssetUrls): string => custom[key] ?? `${host.rootPath}${local.get(key)}`;

  if (docsUrl !== null) {
    add(docsUrl, "swagger_ui_html", () =>
      new HTMLResponse(
        swaggerUiHtml({
          openapiUrl: host.rootPath + openapiUrl,
          title: `${host.title} - Swagger UI`,
          swaggerJs: url("swaggerJs"),
          swaggerCss: url("swaggerCss"),
          favicon: url("favicon"),
          oauth2RedirectUrl: redirectUrl === null ? null : host.rootPath + redirectUrl,
          initOAuth: options.swaggerUiInitOAuth,
          parameters: options.swaggerUiParameters,
        }),
      ),
    );
    if (redirectUrl !== null) {
      add(redirectUrl, "swagger_ui_redirect", () => new HTMLResponse(swaggerUiOAuth2RedirectHtml(url("swaggerOAuth2RedirectJs"))));
    }
  }
  if (redocUrl !== null) {
    add(redocUrl, "redoc_html", () =>
      new HTMLResponse(redocHtml({ openapiUrl: host.rootPath + openapiUrl, title: `${host.title} - ReDoc`, redocJs: url("redocJs"), favicon: url("favicon") })),
    );
  }
}

function checkUrl(option: string, value: string | null): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !value.startsWith("/") || /[{}?#]/.test(value)) {
    throw new TypefastError("TF_DOCS_URL", `App option ${option} must be a path such as "/docs" (no {params}, query or fragment), or null to turn it off; got ${JSON.stringify(value)}.`);
  }
  return value;
}
