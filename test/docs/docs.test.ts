import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Depends, HTTPException, Path, redocHtml, swaggerUiHtml } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const redocDir = dirname(require.resolve("redoc/package.json"));
const swaggerVersion = (require("swagger-ui-dist/package.json") as { version: string }).version;
const redocVersion = (require("redoc/package.json") as { version: string }).version;
const SW = `/docs/assets/swagger-ui-${swaggerVersion}`;
const RD = `/docs/assets/redoc-${redocVersion}`;

function shop(options: ConstructorParameters<typeof App>[0] = {}): App {
  const app = new App({ title: "Shop", ...options });
  app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, function readItem({ item_id }) {
    return { item_id };
  });
  return app;
}

describe("/docs (Swagger UI)", () => {
  it("loads Swagger UI from the app itself and points it at the document", async () => {
    const res = await new TestClient(shop()).get("/docs");
    expect(res.status).toBe(200);
    expect(res.header("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text).toContain("<title>Shop - Swagger UI</title>");
    expect(res.text).toContain(`<script src="${SW}/swagger-ui-bundle.js"></script>`);
    expect(res.text).toContain(`<link rel="stylesheet" href="${SW}/swagger-ui.css">`);
    expect(res.text).toContain(`<link rel="icon" href="${SW}/favicon-32x32.png">`);
    expect(res.text).toContain(
      'const config = {"url":"/openapi.json","dom_id":"#swagger-ui","layout":"BaseLayout","deepLinking":true,"showExtensions":true,"showCommonExtensions":true};',
    );
    expect(res.text).toContain('config.oauth2RedirectUrl = window.location.origin + "/docs/oauth2-redirect";');
    expect(res.text).not.toContain("initOAuth");
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it("merges swaggerUiParameters, passes swaggerUiInitOAuth, and escapes both for the script", async () => {
    const app = shop({
      swaggerUiParameters: { deepLinking: false, persistAuthorization: true, syntaxHighlight: { theme: "obsidian" }, docExpansion: "</script><b>" },
      swaggerUiInitOAuth: { clientId: "docs", usePkceWithAuthorizationCodeGrant: true },
    });
    const html = (await new TestClient(app).get("/docs")).text;
    expect(html).toContain('"deepLinking":false');
    expect(html).toContain('"persistAuthorization":true');
    expect(html).toContain('"syntaxHighlight":{"theme":"obsidian"}');
    expect(html).toContain('"docExpansion":"\\u003c/script>\\u003cb>"');
    expect(html).toContain('ui.initOAuth({"clientId":"docs","usePkceWithAuthorizationCodeGrant":true});');
  });

  it("escapes the app title", async () => {
    const html = (await new TestClient(shop({ title: "<Shop & Co>" })).get("/docs")).text;
    expect(html).toContain("<title>&lt;Shop &amp; Co&gt; - Swagger UI</title>");
  });

  it("serves the OAuth2 redirect page with Swagger UI's own script", async () => {
    const client = new TestClient(shop());
    const res = await client.get("/docs/oauth2-redirect");
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<script src="${SW}/oauth2-redirect.js"></script>`);
    const js = await client.get(`${SW}/oauth2-redirect.js`);
    expect(js.body.equals(readFileSync(join(swaggerDir, "oauth2-redirect.js")))).toBe(true);
  });

  it("can move or drop the OAuth2 redirect page", async () => {
    const moved = new TestClient(shop({ swaggerUiOAuth2RedirectUrl: "/auth/callback" }));
    expect((await moved.get("/auth/callback")).status).toBe(200);
    expect((await moved.get("/docs")).text).toContain('window.location.origin + "/auth/callback"');
    const none = new TestClient(shop({ swaggerUiOAuth2RedirectUrl: null }));
    expect((await none.get("/docs/oauth2-redirect")).status).toBe(404);
    expect((await none.get("/docs")).text).not.toContain("oauth2RedirectUrl");
  });
});

describe("/redoc", () => {
  it("loads ReDoc from the app itself, without web fonts", async () => {
    const res = await new TestClient(shop()).get("/redoc");
    expect(res.status).toBe(200);
    expect(res.text).toContain("<title>Shop - ReDoc</title>");
    expect(res.text).toContain('<redoc spec-url="/openapi.json"></redoc>');
    expect(res.text).toContain(`<script src="${RD}/redoc.standalone.js"></script>`);
    expect(res.text).not.toMatch(/https?:\/\//);
  });
});

describe("docs assets", () => {
  it("are the packages' files, with long cache headers and validators", async () => {
    const client = new TestClient(shop());
    const cases: [string, string, string][] = [
      [`${SW}/swagger-ui-bundle.js`, join(swaggerDir, "swagger-ui-bundle.js"), "text/javascript; charset=utf-8"],
      [`${SW}/swagger-ui.css`, join(swaggerDir, "swagger-ui.css"), "text/css; charset=utf-8"],
      [`${SW}/favicon-32x32.png`, join(swaggerDir, "favicon-32x32.png"), "image/png"],
      [`${RD}/redoc.standalone.js`, join(redocDir, "bundles", "redoc.standalone.js"), "text/javascript; charset=utf-8"],
    ];
    for (const [url, file, type] of cases) {
      const res = await client.get(url);
      expect(res.status, url).toBe(200);
      expect(res.header("content-type")).toBe(type);
      expect(res.header("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.header("etag")).toBeDefined();
      expect(res.body.equals(readFileSync(file))).toBe(true);
    }
    const etag = (await client.get(`${SW}/swagger-ui.css`)).header("etag")!;
    expect((await client.get(`${SW}/swagger-ui.css`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await client.get(`${SW}/index.html`)).status).toBe(404);
  });

  it("can be served under another prefix", async () => {
    const client = new TestClient(shop({ docsAssetsUrl: "/static/docs" }));
    expect((await client.get("/docs")).text).toContain(`/static/docs/swagger-ui-${swaggerVersion}/swagger-ui-bundle.js`);
    expect((await client.get(`/static/docs/swagger-ui-${swaggerVersion}/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it("can come from a CDN instead (same versions), and then are not served", async () => {
    const client = new TestClient(shop({ docsAssets: "cdn" }));
    const docs = (await client.get("/docs")).text;
    expect(docs).toContain(`https://cdn.jsdelivr.net/npm/swagger-ui-dist@${swaggerVersion}/swagger-ui-bundle.js`);
    expect(docs).toContain(`https://cdn.jsdelivr.net/npm/swagger-ui-dist@${swaggerVersion}/swagger-ui.css`);
    expect((await client.get("/redoc")).text).toContain(`https://cdn.jsdelivr.net/npm/redoc@${redocVersion}/bundles/redoc.standalone.js`);
    expect((await client.get("/docs/oauth2-redirect")).text).toContain(`https://cdn.jsdelivr.net/npm/swagger-ui-dist@${swaggerVersion}/oauth2-redirect.js`);
    expect((await client.get(`${SW}/swagger-ui-bundle.js`)).status).toBe(404);
  });

  it("can come from your own URLs, the rest staying local", async () => {
    const client = new TestClient(shop({ docsAssets: { swaggerJs: "https://cdn.example.com/sw.js", favicon: "/favicon.ico" } }));
    const docs = (await client.get("/docs")).text;
    expect(docs).toContain('<script src="https://cdn.example.com/sw.js"></script>');
    expect(docs).toContain('<link rel="icon" href="/favicon.ico">');
    expect(docs).toContain(`href="${SW}/swagger-ui.css"`);
    expect((await client.get(`${SW}/swagger-ui-bundle.js`)).status).toBe(404);
    expect((await client.get(`${SW}/swagger-ui.css`)).status).toBe(200);
  });
});

describe("turning docs off or moving them", () => {
  it("docsUrl: null and redocUrl: null remove the pages and their assets, keeping /openapi.json", async () => {
    const client = new TestClient(shop({ docsUrl: null, redocUrl: null }));
    for (const url of ["/docs", "/redoc", "/docs/oauth2-redirect", `${SW}/swagger-ui-bundle.js`, `${RD}/redoc.standalone.js`]) {
      expect((await client.get(url)).status, url).toBe(404);
    }
    expect((await client.get("/openapi.json")).status).toBe(200);
  });

  it("only ReDoc", async () => {
    const client = new TestClient(shop({ docsUrl: null }));
    expect((await client.get("/docs")).status).toBe(404);
    expect((await client.get(`${SW}/swagger-ui-bundle.js`)).status).toBe(404);
    expect((await client.get("/redoc")).status).toBe(200);
    expect((await client.get(`${RD}/redoc.standalone.js`)).status).toBe(200);
  });

  it("custom URLs", async () => {
    const client = new TestClient(shop({ docsUrl: "/api/docs", redocUrl: "/api/redoc" }));
    expect((await client.get("/api/docs")).status).toBe(200);
    expect((await client.get("/api/redoc")).status).toBe(200);
    expect((await client.get("/docs")).status).toBe(404);
  });
});

describe("docs of a mounted app and of a protected app", () => {
  it("load the sub-app's document and assets under its root path", async () => {
    const root = new App();
    root.mount("/v1", shop());
    const client = new TestClient(root);
    const docs = (await client.get("/v1/docs")).text;
    expect(docs).toContain('"url":"/v1/openapi.json"');
    expect(docs).toContain(`src="/v1${SW}/swagger-ui-bundle.js"`);
    expect(docs).toContain('window.location.origin + "/v1/docs/oauth2-redirect"');
    expect((await client.get("/v1/redoc")).text).toContain('spec-url="/v1/openapi.json"');
    expect((await client.get(`/v1${SW}/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await client.get("/v1/openapi.json")).json().servers).toEqual([{ url: "/v1" }]);
  });

  it("stay open when app-level dependencies guard every route", async () => {
    const deny = Depends(function deny() {
      throw new HTTPException(401, "Not authenticated");
    });
    const client = new TestClient(shop({ dependencies: [deny] }));
    expect((await client.get("/items/1")).status).toBe(401);
    for (const url of ["/docs", "/redoc", "/openapi.json", `${SW}/swagger-ui.css`]) expect((await client.get(url)).status, url).toBe(200);
  });
});

describe("page builders", () => {
  it("are exported for custom docs routes", () => {
    const html = swaggerUiHtml({ openapiUrl: "/spec.json", title: "T", swaggerJs: "/a.js", swaggerCss: "/a.css", favicon: "/f.png" });
    expect(html).toContain('"url":"/spec.json"');
    expect(html).not.toContain("oauth2RedirectUrl");
    expect(redocHtml({ openapiUrl: "/spec.json", title: "T", redocJs: "/r.js", favicon: "/f.png" })).toContain('<redoc spec-url="/spec.json"></redoc>');
  });
});
