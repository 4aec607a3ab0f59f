/** The ReDoc page (FastAPI's `get_redoc_html`), without web fonts so it renders offline. */
import { escapeHtml } from "./html.ts";

/** Inputs of {@link redocHtml}. */
export interface RedocPage {
  /** URL of the OpenAPI document, root path included. */
  openapiUrl: string;
  /** The page title. */
  title: string;
  redocJs: string;
  favicon: string;
}

/**
 * The ReDoc HTML page.
 *
 * @example
 * redocHtml({ openapiUrl: "/openapi.json", title: "Shop - ReDoc", redocJs, favicon });
 */
export function redocHtml(page: RedocPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="${escapeHtml(page.favicon)}">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<noscript>ReDoc needs JavaScript to show the documentation.</noscript>
<redoc spec-url="${escapeHtml(page.openapiUrl)}"></redoc>
<script src="${escapeHtml(page.redocJs)}"></script>
</body>
</html>
`;
}
