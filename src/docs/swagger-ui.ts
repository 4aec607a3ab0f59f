/**
 * The Swagger UI page and its OAuth2 redirect page (FastAPI's `get_swagger_ui_html` and
 * `get_swagger_ui_oauth2_redirect_html`).
 */
import { escapeHtml, scriptJson } from "./html.ts";

/** Inputs of {@link swaggerUiHtml}. */
export interface SwaggerUiPage {
  /** URL of the OpenAPI document, root path included. */
  openapiUrl: string;
  /** The page title. */
  title: string;
  swaggerJs: string;
  swaggerCss: string;
  favicon: string;
  /** Path of the OAuth2 redirect page (root path included), or `null` without one. */
  oauth2RedirectUrl?: string | null;
  /** Passed to `ui.initOAuth()` (client id, scopes, PKCE…). */
  initOAuth?: Readonly<Record<string, unknown>>;
  /** Swagger UI configuration, merged over the defaults. */
  parameters?: Readonly<Record<string, unknown>>;
}

/** FastAPI's defaults: deep links, and `x-` extensions shown. `persistAuthorization` stays off. */
export const SWAGGER_UI_DEFAULTS: Readonly<Record<string, unknown>> = {
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
};

/**
 * The Swagger UI HTML page. Parameters must be JSON values (functions cannot cross into the page).
 *
 * @example
 * swaggerUiHtml({ openapiUrl: "/openapi.json", title: "Shop - Swagger UI", swaggerJs, swaggerCss, favicon });
 */
export function swaggerUiHtml(page: SwaggerUiPage): string {
  const config = { url: page.openapiUrl, ...SWAGGER_UI_DEFAULTS, ...page.parameters };
  const lines = [
    `const config = ${scriptJson(config)};`,
    "config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];",
  ];
  if (page.oauth2RedirectUrl) lines.push(`config.oauth2RedirectUrl = window.location.origin + ${scriptJson(page.oauth2RedirectUrl)};`);
  lines.push("const ui = SwaggerUIBundle(config);");
  if (page.initOAuth) lines.push(`ui.initOAuth(${scriptJson(page.initOAuth)});`);
  lines.push("window.ui = ui;");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="${escapeHtml(page.swaggerCss)}">
<link rel="icon" href="${escapeHtml(page.favicon)}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${escapeHtml(page.swaggerJs)}"></script>
<script>
${lines.join("\n")}
</script>
</body>
</html>
`;
}

/**
 * The page the OAuth2 provider redirects to after login; Swagger UI's own script hands the result back to the
 * docs window.
 *
 * @example
 * swaggerUiOAuth2RedirectHtml("/docs/assets/swagger-ui-5.35.0/oauth2-redirect.js");
 */
export function swaggerUiOAuth2RedirectHtml(scriptUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="${escapeHtml(scriptUrl)}"></script>
</body>
</html>
`;
}
