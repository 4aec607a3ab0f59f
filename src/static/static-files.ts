/**
 * {@link StaticFiles}: a directory served under a mount prefix — Starlette's `StaticFiles` — on top of
 * `FileResponse`, which already does validators (ETag, Last-Modified → 304) and byte ranges (206/416).
 */
import { statSync, type Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Mountable } from "../app.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { FileResponse } from "../http/file-response.ts";
import type { Request } from "../http/request.ts";
import { JSONResponse, RedirectResponse, type Response } from "../http/response.ts";

/**
 * Options of {@link StaticFiles}.
 *
 * @example
 * new StaticFiles({ directory: "public", html: true, cacheControl: "public, max-age=600" });
 */
export interface StaticFilesOptions {
  /** The directory to serve (relative paths are resolved against the working directory). */
  directory: string;
  /**
   * HTML mode (default `false`): a directory answers with its `index.html` (redirecting `/docs` to `/docs/` first,
   * so relative links work), and a missing file answers with the root's `404.html` when there is one.
   */
  html?: boolean;
  /** Fail at construction when `directory` does not exist (default `true`): a typo should not serve 404s forever. */
  checkDir?: boolean;
  /** Serve symlinks that point outside `directory` (default `false`: they answer 404). */
  followSymlinks?: boolean;
  /** A `Cache-Control` value for every file, e.g. `"public, max-age=3600"` (default none). */
  cacheControl?: string;
}

/**
 * Serves the files of a directory. Mount it: `app.mount("/static", new StaticFiles({ directory: "public" }))`.
 * Only `GET` and `HEAD` (else 405). A path that tries to leave the directory — `..` segments, encoded or not,
 * NUL bytes, backslashes, or symlinks pointing outside — answers 404, the same as a missing file, so probing
 * reveals nothing.
 *
 * @example
 * app.mount("/static", new StaticFiles({ directory: "public", cacheControl: "public, max-age=600" }));
 * app.mount("/site", new StaticFiles({ directory: "site", html: true }));   // index.html pages, 404.html
 */
export class StaticFiles implements Mountable {
  /** Set by `app.mount()`. */
  rootPath = "";
  /** The served directory, absolute. */
  readonly directory: string;
  readonly #html: boolean;
  readonly #followSymlinks: boolean;
  readonly #cacheControl: string | undefined;
  #realRoot: Promise<string> | undefined;

  constructor(options: StaticFilesOptions) {
    this.directory = path.resolve(options.directory);
    this.#html = options.html ?? false;
    this.#followSymlinks = options.followSymlinks ?? false;
    this.#cacheControl = options.cacheControl;
    if (options.checkDir ?? true) {
      let stats: Stats | undefined;
      try {
        stats = statSync(this.directory);
      } catch {
        stats = undefined;
      }
      if (!stats?.isDirectory()) {
        throw new TypefastError("TF_STATIC_DIRECTORY", `StaticFiles: directory ${JSON.stringify(options.directory)} does not exist or is not a directory (resolved to ${this.directory}).`);
      }
    }
  }

  /** Answers one request routed here by the parent app. */
  async handleMounted(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new JSONResponse({ detail: "Method Not Allowed" }, { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const relative = request.path.slice(this.rootPath.length);
    const target = this.#resolve(relative);
    if (target !== undefined) {
      const found = await this.#lookup(target);
      if (found?.stats.isFile()) return this.#file(found.path, found.stats, 200);
      if (found?.stats.isDirectory() && this.#html) {
        if (!relative.endsWith("/")) return new RedirectResponse(withSlash(request.url), 307);
        const index = await this.#lookup(path.join(found.path, "index.html"));
        if (index?.stats.isFile()) return this.#file(index.path, index.stats, 200);
      }
    }
    if (this.#html) {
      const page = await this.#lookup(path.join(this.directory, "404.html"));
      if (page?.stats.isFile()) return this.#file(page.path, page.stats, 404);
    }
    return new JSONResponse({ detail: "Not Found" }, { status: 404 });
  }

  /** The absolute path for a request path, or `undefined` when it would leave the directory. */
  #resolve(relative: string): string | undefined {
    if (relative.includes("\0")) return undefined;
    const segments = relative.split(/[\\/]/).filter((s) => s !== "" && s !== ".");
    if (segments.includes("..")) return undefined;
    const full = path.join(this.directory, ...segments);
    return full === this.directory || full.startsWith(this.directory + path.sep) ? full : undefined;
  }

  /** Stats the path; without `followSymlinks`, also checks that its real location is inside the directory. */
  async #lookup(full: string): Promise<{ path: string; stats: Stats } | undefined> {
    try {
      const stats = await stat(full);
      if (!this.#followSymlinks) {
        const root = await (this.#realRoot ??= realpath(this.directory));
        const real = await realpath(full);
        if (real !== root && !real.startsWith(root + path.sep)) return undefined;
      }
      return { path: full, stats };
    } catch {
      return undefined; // missing, not a directory on the way, no permission: all the client learns is 404
    }
  }

  #file(full: string, stats: Stats, status: number): Response {
    const headers = this.#cacheControl === undefined ? undefined : { "cache-control": this.#cacheControl };
    return new FileResponse(full, { stat: stats, status, headers });
  }
}

function withSlash(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? `${url}/` : `${url.slice(0, q)}/${url.slice(q)}`;
}
