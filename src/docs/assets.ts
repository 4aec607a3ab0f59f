/**
 * The files the docs pages load, served from the installed `swagger-ui-dist` and `redoc` packages so the docs
 * work offline. Their URLs carry the package version, so browsers may cache them for a year.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { TypefastError } from "../errors/typefast-error.ts";

/** Where the docs pages load their scripts and styles from; any URL left out is served locally. */
export interface DocsAssetUrls {
  /** Swagger UI's `swagger-ui-bundle.js`. */
  swaggerJs?: string;
  /** Swagger UI's `swagger-ui.css`. */
  swaggerCss?: string;
  /** Swagger UI's `oauth2-redirect.js`, loaded by the OAuth2 redirect page. */
  swaggerOAuth2RedirectJs?: string;
  /** ReDoc's `redoc.standalone.js`. */
  redocJs?: string;
  /** The pages' icon. */
  favicon?: string;
}

/** One locally served file: its URL path below the assets URL, and its location on disk. */
export interface LocalAsset {
  readonly key: keyof DocsAssetUrls;
  readonly path: string;
  readonly file: string;
}

const require = createRequire(import.meta.url);
let cached: readonly LocalAsset[] | undefined;

/** The assets Typefast can serve, resolved once from the installed packages. */
export function localAssets(): readonly LocalAsset[] {
  if (cached) return cached;
  const swagger = packageDir("swagger-ui-dist");
  const redoc = packageDir("redoc");
  const sv = `swagger-ui-${version(swagger)}`;
  const rv = `redoc-${version(redoc)}`;
  cached = [
    { key: "swaggerJs", path: `${sv}/swagger-ui-bundle.js`, file: join(swagger, "swagger-ui-bundle.js") },
    { key: "swaggerCss", path: `${sv}/swagger-ui.css`, file: join(swagger, "swagger-ui.css") },
    { key: "swaggerOAuth2RedirectJs", path: `${sv}/oauth2-redirect.js`, file: join(swagger, "oauth2-redirect.js") },
    { key: "favicon", path: `${sv}/favicon-32x32.png`, file: join(swagger, "favicon-32x32.png") },
    { key: "redocJs", path: `${rv}/redoc.standalone.js`, file: join(redoc, "bundles", "redoc.standalone.js") },
  ];
  return cached;
}

/**
 * jsDelivr URLs of the same package versions as the installed ones, for `docsAssets: "cdn"` (smaller app
 * responses, but the docs then need the internet).
 */
export function cdnAssets(): Required<DocsAssetUrls> {
  const out = {} as Required<DocsAssetUrls>;
  for (const asset of localAssets()) {
    const [pkg, file] = asset.path.split("/");
    const at = pkg.lastIndexOf("-");
    const name = pkg.slice(0, at) === "redoc" ? "redoc" : "swagger-ui-dist";
    const inPackage = name === "redoc" ? `bundles/${file}` : file;
    out[asset.key] = `https://cdn.jsdelivr.net/npm/${name}@${pkg.slice(at + 1)}/${inPackage}`;
  }
  return out;
}

function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new TypefastError("TF_DOCS_ASSETS", `The docs need the "${name}" package: run \`npm install ${name}\`, or set docsAssets to CDN URLs, or turn the docs off.`);
  }
}

function version(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
}
