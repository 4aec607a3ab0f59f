import { describe, expect, it } from "vitest";
import { TypefastError } from "../../src/errors/typefast-error.ts";
import { parsePathTemplate } from "../../src/routing/path-template.ts";
import { ANY_METHOD, RadixRouter, type FindResult } from "../../src/routing/radix-router.ts";

/** Build a router whose values are `"METHOD template"` so assertions show which route won. */
function routerOf(routes: Array<[string, string]>): RadixRouter<string> {
  const router = new RadixRouter<string>();
  for (const [method, template] of routes) router.add(method, template, `${method} ${template}`);
  return router;
}

/** `[value, params]` for a match (params copied to a plain object for `toEqual`), else the raw null / `{ allowed }`. */
function hit(router: RadixRouter<string>, method: string, path: string): unknown {
  return flat(router.find(method, path));
}

function flat(result: FindResult<string>): unknown {
  return result !== null && "value" in result ? [result.value, { ...result.params }] : result;
}

/** Run `fn`, which must throw a TypefastError, and return that error. */
function errorOf(fn: () => void): TypefastError {
  const error = (() => { try { fn(); } catch (caught) { return caught; } })();
  expect(error).toBeInstanceOf(TypefastError);
  return error as TypefastError;
}

describe("RadixRouter: static routes", () => {
  const router = routerOf([["GET", "/"], ["GET", "/items"], ["GET", "/items/"], ["POST", "/items"], ["GET", "/items/list"]]);

  it("matches exact static paths with an empty params object that inherits nothing", () => {
    const match = router.find("GET", "/items");
    expect(flat(match)).toEqual(["GET /items", {}]);
    expect(Object.prototype.isPrototypeOf((match as { params: object }).params)).toBe(false); // inherits nothing (see NullObject)
    expect(hit(router, "GET", "/")).toEqual(["GET /", {}]);
    expect(hit(router, "POST", "/items")).toEqual(["POST /items", {}]);
    expect(hit(router, "GET", "/items/list")).toEqual(["GET /items/list", {}]);
  });

  it("treats trailing slashes as significant", () => {
    expect(hit(router, "GET", "/items/")).toEqual(["GET /items/", {}]);
    expect(router.find("GET", "/items/list/")).toBeNull();
    expect(router.find("POST", "/items/")).toEqual({ allowed: ["GET", "HEAD"] });
  });

  it("returns null for unknown paths, prefixes and extensions", () => {
    for (const path of ["/item", "/itemsx", "/items/lis", "/items/listing", "", "items", "//items"]) {
      expect(router.find("GET", path)).toBeNull();
    }
  });

  it("compares methods exactly at lookup but normalizes them at registration", () => {
    const r = routerOf([["get", "/x"]]);
    expect(hit(r, "GET", "/x")).toEqual(["get /x", {}]);
    expect(r.find("get", "/x")).toEqual({ allowed: ["GET", "HEAD"] });
  });
});

describe("RadixRouter: params", () => {
  const router = routerOf([
    ["GET", "/items/{item_id}"], ["GET", "/users/{user_id}/posts/{post_id}"],
    ["GET", "/users/{user_id}/posts/{post_id}/"], ["GET", "/orgs/{org}/repos"],
  ]);

  it("captures one whole segment per param", () => {
    expect(hit(router, "GET", "/items/42")).toEqual(["GET /items/{item_id}", { item_id: "42" }]);
    const ids = { user_id: "7", post_id: "abc" };
    expect(hit(router, "GET", "/users/7/posts/abc")).toEqual(["GET /users/{user_id}/posts/{post_id}", ids]);
    expect(hit(router, "GET", "/users/7/posts/abc/")).toEqual(["GET /users/{user_id}/posts/{post_id}/", ids]);
    expect(hit(router, "GET", "/orgs/acme/repos")).toEqual(["GET /orgs/{org}/repos", { org: "acme" }]);
    const match = router.find("GET", "/items/1") as { params: Record<string, string> };
    expect(Object.prototype.isPrototypeOf(match.params)).toBe(false); // inherits nothing (see NullObject)
    expect(match.params.toString).toBeUndefined();
  });

  it("never matches an empty segment", () => {
    expect(router.find("GET", "/items/")).toBeNull();
    expect(router.find("GET", "/users//posts/1")).toBeNull();
    expect(router.find("GET", "/orgs//repos")).toBeNull();
  });

  it("does not let a param span a slash", () => {
    expect(router.find("GET", "/items/a/b")).toBeNull();
    expect(router.find("GET", "/orgs/acme/repos/x")).toBeNull();
  });

  it("passes decoded and unicode characters through untouched", () => {
    const cases = ["café", "日本語", "a b", "100%", "é😀", "a.b.c", "?x=1", "{id}", "%2F", "__proto__"];
    for (const value of cases) {
      expect(hit(router, "GET", `/items/${value}`)).toEqual(["GET /items/{item_id}", { item_id: value }]);
    }
  });

  it("keeps each route's own param names at the same position", () => {
    const r = routerOf([["GET", "/a/{x}"], ["POST", "/a/{y}"], ["PUT", "/a/{z}/{w}"]]);
    expect(hit(r, "GET", "/a/1")).toEqual(["GET /a/{x}", { x: "1" }]);
    expect(hit(r, "POST", "/a/1")).toEqual(["POST /a/{y}", { y: "1" }]);
    expect(hit(r, "PUT", "/a/1/2")).toEqual(["PUT /a/{z}/{w}", { z: "1", w: "2" }]);
  });

  it("stores a param literally named like an Object.prototype member", () => {
    const r = routerOf([["GET", "/{constructor}/{__proto__}"]]);
    const match = r.find("GET", "/a/b") as { params: Record<string, string> };
    expect(match.params.constructor).toBe("a");
    expect(Object.keys(match.params)).toEqual(["constructor", "__proto__"]);
    expect(match.params["__proto__"]).toBe("b");
  });
});

describe("RadixRouter: catch-all :path", () => {
  const router = routerOf([["GET", "/files/{file_path:path}"], ["GET", "/files/special"], ["GET", "/u/{id}/{rest:path}"]]);

  it("captures the rest of the path including slashes", () => {
    expect(hit(router, "GET", "/files/a/b/c.txt")).toEqual(["GET /files/{file_path:path}", { file_path: "a/b/c.txt" }]);
    expect(hit(router, "GET", "/files/a//b/")).toEqual(["GET /files/{file_path:path}", { file_path: "a//b/" }]);
    expect(hit(router, "GET", "/u/1/x/y")).toEqual(["GET /u/{id}/{rest:path}", { id: "1", rest: "x/y" }]);
  });

  it("matches an empty remainder but requires the slash before it", () => {
    expect(hit(router, "GET", "/files/")).toEqual(["GET /files/{file_path:path}", { file_path: "" }]);
    expect(router.find("GET", "/files")).toBeNull();
    expect(hit(router, "GET", "/u/1/")).toEqual(["GET /u/{id}/{rest:path}", { id: "1", rest: "" }]);
  });

  it("loses to a static route but takes its extensions", () => {
    expect(hit(router, "GET", "/files/special")).toEqual(["GET /files/special", {}]);
    expect(hit(router, "GET", "/files/special/x")).toEqual(["GET /files/{file_path:path}", { file_path: "special/x" }]);
    expect(hit(router, "GET", "/files/specia")).toEqual(["GET /files/{file_path:path}", { file_path: "specia" }]);
  });

  it("can catch everything from the root", () => {
    const r = routerOf([["GET", "/{rest:path}"], ["GET", "/health"]]);
    expect(hit(r, "GET", "/")).toEqual(["GET /{rest:path}", { rest: "" }]);
    expect(hit(r, "GET", "/health")).toEqual(["GET /health", {}]);
    expect(hit(r, "GET", "/a/b")).toEqual(["GET /{rest:path}", { rest: "a/b" }]);
    expect(r.find("GET", "")).toBeNull();
  });
});

describe("RadixRouter: priority and backtracking", () => {
  const router = routerOf([
    ["GET", "/users/me/x"], ["GET", "/users/{id}/x"], ["GET", "/users/{id}/y"],
    ["GET", "/users/{id}"], ["GET", "/users/me"], ["GET", "/users/{rest:path}"],
  ]);

  it("prefers static over param over catch-all, backtracking on dead ends", () => {
    expect(hit(router, "GET", "/users/me/x")).toEqual(["GET /users/me/x", {}]);
    expect(hit(router, "GET", "/users/me/y")).toEqual(["GET /users/{id}/y", { id: "me" }]);
    expect(hit(router, "GET", "/users/42/x")).toEqual(["GET /users/{id}/x", { id: "42" }]);
    expect(hit(router, "GET", "/users/me")).toEqual(["GET /users/me", {}]);
    expect(hit(router, "GET", "/users/mex")).toEqual(["GET /users/{id}", { id: "mex" }]);
    expect(hit(router, "GET", "/users/m")).toEqual(["GET /users/{id}", { id: "m" }]);
    expect(hit(router, "GET", "/users/me/z")).toEqual(["GET /users/{rest:path}", { rest: "me/z" }]);
    expect(hit(router, "GET", "/users/")).toEqual(["GET /users/{rest:path}", { rest: "" }]);
  });

  it("backtracks when the preferred path has no route for the method", () => {
    const r = routerOf([["GET", "/users/me"], ["DELETE", "/users/{id}"], ["POST", "/users/{rest:path}"]]);
    expect(hit(r, "DELETE", "/users/me")).toEqual(["DELETE /users/{id}", { id: "me" }]);
    expect(hit(r, "POST", "/users/me")).toEqual(["POST /users/{rest:path}", { rest: "me" }]);
    expect(r.find("PUT", "/users/me")).toEqual({ allowed: ["DELETE", "GET", "HEAD", "POST"] });
  });

  it("does not leak params captured on an abandoned branch", () => {
    const r = routerOf([["GET", "/{a}/{b}/static"], ["GET", "/{c}/x/{d}"]]);
    expect(hit(r, "GET", "/1/x/2")).toEqual(["GET /{c}/x/{d}", { c: "1", d: "2" }]);
    expect(hit(r, "GET", "/1/x/static")).toEqual(["GET /{c}/x/{d}", { c: "1", d: "static" }]);
    expect(hit(r, "GET", "/1/2/static")).toEqual(["GET /{a}/{b}/static", { a: "1", b: "2" }]);
  });
});

describe("RadixRouter: methods, HEAD and 405", () => {
  it("falls back from HEAD to GET unless HEAD is registered", () => {
    const r = routerOf([["GET", "/a"], ["GET", "/b/{id}"], ["GET", "/c"], ["HEAD", "/c"]]);
    expect(hit(r, "HEAD", "/a")).toEqual(["GET /a", {}]);
    expect(hit(r, "HEAD", "/b/1")).toEqual(["GET /b/{id}", { id: "1" }]);
    expect(hit(r, "HEAD", "/c")).toEqual(["HEAD /c", {}]);
  });

  it("lists allowed methods sorted and upper-case, with HEAD whenever GET exists", () => {
    const r = routerOf([["post", "/a"], ["GET", "/a"], ["DELETE", "/a"], ["PUT", "/b/{id}"], ["HEAD", "/h"]]);
    expect(r.find("PATCH", "/a")).toEqual({ allowed: ["DELETE", "GET", "HEAD", "POST"] });
    expect(r.find("GET", "/b/1")).toEqual({ allowed: ["PUT"] });
    expect(r.find("GET", "/h")).toEqual({ allowed: ["HEAD"] });
    expect(r.find("GET", "/b/")).toBeNull();
  });

  it("unions the methods of every route matching the path", () => {
    const r = routerOf([["GET", "/x/static"], ["POST", "/x/{id}"], ["PUT", "/x/{p:path}"]]);
    expect(r.find("DELETE", "/x/static")).toEqual({ allowed: ["GET", "HEAD", "POST", "PUT"] });
    expect(r.find("DELETE", "/x/other")).toEqual({ allowed: ["POST", "PUT"] });
    expect(r.find("DELETE", "/x/a/b")).toEqual({ allowed: ["PUT"] });
  });

  it("supports any-method routes that lose to exact methods", () => {
    const r = new RadixRouter<string>();
    r.add(ANY_METHOD, "/mount/{p:path}", "mount");
    r.add("GET", "/mount/{p:path}", "get");
    r.add(ANY_METHOD, "/any", "any");
    r.add("POST", "/mount/special", "special");
    expect(ANY_METHOD).toBe("*");
    expect(hit(r, "GET", "/mount/a/b")).toEqual(["get", { p: "a/b" }]);
    expect(hit(r, "HEAD", "/mount/a")).toEqual(["get", { p: "a" }]);
    expect(hit(r, "DELETE", "/mount/a")).toEqual(["mount", { p: "a" }]);
    expect(hit(r, "POST", "/mount/special")).toEqual(["special", {}]);
    expect(hit(r, "PUT", "/mount/special")).toEqual(["mount", { p: "special" }]);
    expect(hit(r, "OPTIONS", "/any")).toEqual(["any", {}]);
    expect(r.find("GET", "/other")).toBeNull();
  });

  it("rejects malformed methods", () => {
    const router = new RadixRouter<number>();
    for (const method of ["", "GE T", "GET\n"]) {
      const error = errorOf(() => router.add(method, "/x", 1));
      expect(error.code).toBe("TF_ROUTE_METHOD");
      expect(error.message).toContain('such as "GET"');
    }
  });
});

describe("RadixRouter: registration errors", () => {
  it("rejects the same method on the same path shape, naming both templates", () => {
    const r = routerOf([["GET", "/a/{x}"]]);
    const error = errorOf(() => r.add("get", "/a/{y}", "again"));
    expect(error.code).toBe("TF_ROUTE_DUPLICATE");
    expect(error.message).toContain('GET "/a/{y}"');
    expect(error.message).toContain('GET "/a/{x}"');
    expect(errorOf(() => r.add("GET", "/a/{x}", "again")).code).toBe("TF_ROUTE_DUPLICATE");
    const statics = routerOf([["GET", "/s"], [ANY_METHOD, "/s"]]);
    expect(errorOf(() => statics.add("GET", "/s", "again")).code).toBe("TF_ROUTE_DUPLICATE");
    expect(errorOf(() => statics.add(ANY_METHOD, "/s", "again")).code).toBe("TF_ROUTE_DUPLICATE");
  });

  it("accepts different shapes that overlap", () => {
    const overlapping: Array<[string, string]> = [["GET", "/a/{x}"], ["GET", "/a/{x:path}"], ["GET", "/a/b"], ["GET", "/a/{x}/"]];
    expect(() => routerOf([...overlapping, ["HEAD", "/a/{x}"]])).not.toThrow();
  });

  it("propagates template errors with their TF_ROUTE_PATH code", () => {
    const messages: Array<[string, string]> = [
      ["items", 'must start with "/"'],
      ["/items/{id", "never closed"],
      ["/items/id}", 'has no matching "{"'],
      ["/items/{id}.json", "must be the whole segment"],
      ["/items/{id:int}", 'only ":path" is supported'],
      ["/f/{p:path}/x", "must be in the last segment"],
      ["/a/{id}/{id}", "appears more than once"],
      ["/a/{9}", "not a valid identifier"],
    ];
    const router = new RadixRouter<number>();
    for (const [template, text] of messages) {
      const error = errorOf(() => router.add("GET", template, 1));
      expect(error.code).toBe("TF_ROUTE_PATH");
      expect(error.message).toContain(text);
    }
  });
});

describe("RadixRouter: scale", () => {
  it("resolves 500 generated routes, static and dynamic", () => {
    const router = new RadixRouter<number>();
    const resources = Array.from({ length: 100 }, (_, i) => `res${i.toString(36)}${i % 7 === 0 ? "x" : ""}`);
    const shapes = ["/api/R", "/api/R/{id}", "/api/R/{id}/sub", "/api/R/{id}/sub/{sid}", "/v/R/{p:path}"];
    const templates = resources.flatMap((r) => shapes.map((shape) => shape.replace("R", r)));
    templates.forEach((template, index) => router.add(index % 2 === 0 ? "GET" : "POST", template, index));
    expect(templates).toHaveLength(500);
    templates.forEach((template, index) => {
      const parsed = parsePathTemplate(template);
      const values = parsed.paramNames.map((name, i) => `${name}-${i}-${index}`);
      let i = 0;
      const path = template.replace(/\{[^}]+\}/g, () => values[i++]);
      const result = router.find(index % 2 === 0 ? "GET" : "POST", path);
      expect(result && "value" in result ? result.value : result).toBe(index);
      const expected = Object.fromEntries(parsed.paramNames.map((name, k) => [name, values[k]]));
      expect({ ...(result as { params: object }).params }).toEqual(expected);
    });
  });

  it("agrees with a Starlette-style regex reference on random tables", () => {
    // mulberry32: a small seeded PRNG so failures reproduce (an LCG's low bits cycle too quickly for `% n`).
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pieces = ["a", "b", "", "{p0}", "{p1}", "{rest:path}"];
    for (let round = 0; round < 100; round++) {
      const router = new RadixRouter<string>();
      const table: ReferenceRoute[] = [];
      for (let n = 0; n < 16; n++) {
        const parts = Array.from({ length: 1 + random(3) }, (_, i) => pieces[random(6)].replace(/p\d/, `p${i}`));
        const template = "/" + parts.join("/");
        const method = ["GET", "POST", "HEAD", ANY_METHOD][random(4)];
        try {
          router.add(method, template, `${method} ${template}`);
          table.push(referenceRoute(method, template));
        } catch (error) {
          expect(["TF_ROUTE_PATH", "TF_ROUTE_DUPLICATE"]).toContain((error as TypefastError).code);
        }
      }
      for (let n = 0; n < 60; n++) {
        const path = "/" + Array.from({ length: random(4) }, () => ["a", "b", "c", ""][random(4)]).join("/");
        for (const method of ["GET", "HEAD", "POST", "PUT"]) {
          expect(hit(router, method, path), `${method} ${path}`).toEqual(reference(table, method, path));
        }
      }
    }
  });
});

interface ReferenceRoute { method: string; template: string; regex: RegExp; names: string[]; rank: string }

/** Starlette's per-route regex (`[^/]+` for a param, `.*` for `:path`) plus a priority key (static < param < path). */
function referenceRoute(method: string, template: string): ReferenceRoute {
  const { segments, paramNames } = parsePathTemplate(template);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const source = segments.map((s) => (s.kind === "static" ? escape(s.value) : s.kind === "param" ? "([^/]+)" : "(.*)")).join("/");
  const rank = segments.map((s) => ({ static: 0, param: 1, path: 2 })[s.kind]).join("");
  return { method, template, regex: new RegExp(`^/${source}$`), names: paramNames, rank };
}

/** The expected result by brute force: the best-ranked matching shape that accepts the method, else 405/404. */
function reference(table: ReferenceRoute[], method: string, path: string): unknown {
  const matches = table.filter((route) => route.regex.test(path));
  matches.sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0));
  for (const { rank } of matches) {
    const group = matches.filter((m) => m.rank === rank);
    const pick =
      group.find((m) => m.method === method) ??
      (method === "HEAD" ? group.find((m) => m.method === "GET") : undefined) ??
      group.find((m) => m.method === ANY_METHOD);
    if (pick) {
      const values = pick.regex.exec(path)!.slice(1);
      return [`${pick.method} ${pick.template}`, Object.fromEntries(pick.names.map((name, i) => [name, values[i]]))];
    }
  }
  if (matches.length === 0) return null;
  const methods = new Set(matches.map((m) => m.method));
  if (methods.has("GET")) methods.add("HEAD");
  return { allowed: [...methods].sort() };
}
