import { describe, expect, it } from "vitest";
import { TypefastError } from "../../src/errors/typefast-error.ts";
import { parsePathTemplate, type PathSegment } from "../../src/routing/path-template.ts";
import { ANY_METHOD, RadixRouter, type FindResult } from "../../src/routing/radix-router.ts";

/** Build a router whose values are `"METHOD template"` so assertions show which route won. */
function routerOf(routes: Array<[string, string]>): RadixRouter<string> {
  const router = new RadixRouter<string>();
  for (const [method, template] of routes) router.add(method, template, `${method} ${template}`);
  return router;
}

/** Flatten a result for `toEqual`: params become a plain object. */
function simplify(result: FindResult<string>): unknown {
  if (result === null || "allowed" in result) return result;
  return { value: result.value, params: { ...result.params } };
}

function errorOf(fn: () => void): TypefastError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypefastError);
    return error as TypefastError;
  }
  throw new Error("expected a TypefastError");
}

describe("RadixRouter: static routes", () => {
  const router = routerOf([["GET", "/"], ["GET", "/items"], ["GET", "/items/"], ["POST", "/items"], ["GET", "/items/list"]]);

  it("matches exact static paths with an empty null-prototype params object", () => {
    const match = router.find("GET", "/items");
    expect(simplify(match)).toEqual({ value: "GET /items", params: {} });
    expect(Object.getPrototypeOf((match as { params: object }).params)).toBeNull();
    expect(simplify(router.find("GET", "/"))).toEqual({ value: "GET /", params: {} });
    expect(simplify(router.find("POST", "/items"))).toEqual({ value: "POST /items", params: {} });
    expect(simplify(router.find("GET", "/items/list"))).toEqual({ value: "GET /items/list", params: {} });
  });

  it("treats trailing slashes as significant", () => {
    expect(simplify(router.find("GET", "/items/"))).toEqual({ value: "GET /items/", params: {} });
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
    expect(simplify(r.find("GET", "/x"))).toEqual({ value: "get /x", params: {} });
    expect(r.find("get", "/x")).toEqual({ allowed: ["GET", "HEAD"] });
  });
});

describe("RadixRouter: params", () => {
  const router = routerOf([
    ["GET", "/items/{item_id}"],
    ["GET", "/users/{user_id}/posts/{post_id}"],
    ["GET", "/users/{user_id}/posts/{post_id}/"],
    ["GET", "/orgs/{org}/repos"],
  ]);

  it("captures one whole segment per param", () => {
    expect(simplify(router.find("GET", "/items/42"))).toEqual({ value: "GET /items/{item_id}", params: { item_id: "42" } });
    expect(simplify(router.find("GET", "/users/7/posts/abc"))).toEqual({
      value: "GET /users/{user_id}/posts/{post_id}",
      params: { user_id: "7", post_id: "abc" },
    });
    expect(simplify(router.find("GET", "/users/7/posts/abc/"))).toEqual({
      value: "GET /users/{user_id}/posts/{post_id}/",
      params: { user_id: "7", post_id: "abc" },
    });
    expect(simplify(router.find("GET", "/orgs/acme/repos"))).toEqual({ value: "GET /orgs/{org}/repos", params: { org: "acme" } });
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
      expect(simplify(router.find("GET", `/items/${value}`))).toEqual({ value: "GET /items/{item_id}", params: { item_id: value } });
    }
  });

  it("keeps each route's own param names at the same position", () => {
    const r = routerOf([["GET", "/a/{x}"], ["POST", "/a/{y}"], ["PUT", "/a/{z}/{w}"]]);
    expect(simplify(r.find("GET", "/a/1"))).toEqual({ value: "GET /a/{x}", params: { x: "1" } });
    expect(simplify(r.find("POST", "/a/1"))).toEqual({ value: "POST /a/{y}", params: { y: "1" } });
    expect(simplify(r.find("PUT", "/a/1/2"))).toEqual({ value: "PUT /a/{z}/{w}", params: { z: "1", w: "2" } });
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
    expect(simplify(router.find("GET", "/files/a/b/c.txt"))).toEqual({
      value: "GET /files/{file_path:path}",
      params: { file_path: "a/b/c.txt" },
    });
    expect(simplify(router.find("GET", "/files/a//b/"))).toEqual({ value: "GET /files/{file_path:path}", params: { file_path: "a//b/" } });
    expect(simplify(router.find("GET", "/u/1/x/y"))).toEqual({ value: "GET /u/{id}/{rest:path}", params: { id: "1", rest: "x/y" } });
  });

  it("matches an empty remainder but requires the slash before it", () => {
    expect(simplify(router.find("GET", "/files/"))).toEqual({ value: "GET /files/{file_path:path}", params: { file_path: "" } });
    expect(router.find("GET", "/files")).toBeNull();
    expect(simplify(router.find("GET", "/u/1/"))).toEqual({ value: "GET /u/{id}/{rest:path}", params: { id: "1", rest: "" } });
  });

  it("loses to a static route but takes its extensions", () => {
    expect(simplify(router.find("GET", "/files/special"))).toEqual({ value: "GET /files/special", params: {} });
    expect(simplify(router.find("GET", "/files/special/x"))).toEqual({ value: "GET /files/{file_path:path}", params: { file_path: "special/x" } });
    expect(simplify(router.find("GET", "/files/specia"))).toEqual({ value: "GET /files/{file_path:path}", params: { file_path: "specia" } });
  });

  it("can catch everything from the root", () => {
    const r = routerOf([["GET", "/{rest:path}"], ["GET", "/health"]]);
    expect(simplify(r.find("GET", "/"))).toEqual({ value: "GET /{rest:path}", params: { rest: "" } });
    expect(simplify(r.find("GET", "/health"))).toEqual({ value: "GET /health", params: {} });
    expect(simplify(r.find("GET", "/a/b"))).toEqual({ value: "GET /{rest:path}", params: { rest: "a/b" } });
    expect(r.find("GET", "")).toBeNull();
  });
});

describe("RadixRouter: priority and backtracking", () => {
  const router = routerOf([
    ["GET", "/users/me/x"],
    ["GET", "/users/{id}/x"],
    ["GET", "/users/{id}/y"],
    ["GET", "/users/{id}"],
    ["GET", "/users/me"],
    ["GET", "/users/{rest:path}"],
  ]);

  it("prefers static over param over catch-all, backtracking on dead ends", () => {
    expect(simplify(router.find("GET", "/users/me/x"))).toEqual({ value: "GET /users/me/x", params: {} });
    expect(simplify(router.find("GET", "/users/me/y"))).toEqual({ value: "GET /users/{id}/y", params: { id: "me" } });
    expect(simplify(router.find("GET", "/users/42/x"))).toEqual({ value: "GET /users/{id}/x", params: { id: "42" } });
    expect(simplify(router.find("GET", "/users/me"))).toEqual({ value: "GET /users/me", params: {} });
    expect(simplify(router.find("GET", "/users/mex"))).toEqual({ value: "GET /users/{id}", params: { id: "mex" } });
    expect(simplify(router.find("GET", "/users/m"))).toEqual({ value: "GET /users/{id}", params: { id: "m" } });
    expect(simplify(router.find("GET", "/users/me/z"))).toEqual({ value: "GET /users/{rest:path}", params: { rest: "me/z" } });
    expect(simplify(router.find("GET", "/users/"))).toEqual({ value: "GET /users/{rest:path}", params: { rest: "" } });
  });

  it("backtracks when the preferred path has no route for the method", () => {
    const r = routerOf([["GET", "/users/me"], ["DELETE", "/users/{id}"], ["POST", "/users/{rest:path}"]]);
    expect(simplify(r.find("DELETE", "/users/me"))).toEqual({ value: "DELETE /users/{id}", params: { id: "me" } });
    expect(simplify(r.find("POST", "/users/me"))).toEqual({ value: "POST /users/{rest:path}", params: { rest: "me" } });
    expect(r.find("PUT", "/users/me")).toEqual({ allowed: ["DELETE", "GET", "HEAD", "POST"] });
  });

  it("does not leak params captured on an abandoned branch", () => {
    const r = routerOf([["GET", "/{a}/{b}/static"], ["GET", "/{c}/x/{d}"]]);
    expect(simplify(r.find("GET", "/1/x/2"))).toEqual({ value: "GET /{c}/x/{d}", params: { c: "1", d: "2" } });
    expect(simplify(r.find("GET", "/1/x/static"))).toEqual({ value: "GET /{c}/x/{d}", params: { c: "1", d: "static" } });
    expect(simplify(r.find("GET", "/1/2/static"))).toEqual({ value: "GET /{a}/{b}/static", params: { a: "1", b: "2" } });
  });
});

describe("RadixRouter: methods, HEAD and 405", () => {
  it("falls back from HEAD to GET unless HEAD is registered", () => {
    const r = routerOf([["GET", "/a"], ["GET", "/b/{id}"], ["GET", "/c"], ["HEAD", "/c"]]);
    expect(simplify(r.find("HEAD", "/a"))).toEqual({ value: "GET /a", params: {} });
    expect(simplify(r.find("HEAD", "/b/1"))).toEqual({ value: "GET /b/{id}", params: { id: "1" } });
    expect(simplify(r.find("HEAD", "/c"))).toEqual({ value: "HEAD /c", params: {} });
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
    expect(simplify(r.find("GET", "/mount/a/b"))).toEqual({ value: "get", params: { p: "a/b" } });
    expect(simplify(r.find("HEAD", "/mount/a"))).toEqual({ value: "get", params: { p: "a" } });
    expect(simplify(r.find("DELETE", "/mount/a"))).toEqual({ value: "mount", params: { p: "a" } });
    expect(simplify(r.find("POST", "/mount/special"))).toEqual({ value: "special", params: {} });
    expect(simplify(r.find("PUT", "/mount/special"))).toEqual({ value: "mount", params: { p: "special" } });
    expect(simplify(r.find("OPTIONS", "/any"))).toEqual({ value: "any", params: {} });
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
    expect(() => routerOf([["GET", "/a/{x}"], ["GET", "/a/{x:path}"], ["GET", "/a/b"], ["GET", "/a/{x}/"], ["HEAD", "/a/{x}"]])).not.toThrow();
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
    const templates = resources.flatMap((r) => [`/api/${r}`, `/api/${r}/{id}`, `/api/${r}/{id}/sub`, `/api/${r}/{id}/sub/{sid}`, `/v/${r}/{p:path}`]);
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

  it("agrees with a brute-force reference matcher on random tables", () => {
    // Priority is lexicographic over segment kinds (static < param < path); the first matching shape that
    // accepts the method wins, and `allowed` is the union over all matching routes.
    const rank = { static: 0, param: 1, path: 2 } as const;
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
      const table: Array<{ method: string; template: string; segments: PathSegment[] }> = [];
      for (let n = 0; n < 16; n++) {
        const depth = 1 + random(3);
        const parts = Array.from({ length: depth }, (_, i) => pieces[random(pieces.length)].replace(/p\d/, `p${i}`));
        const template = "/" + parts.join("/");
        const method = ["GET", "POST", "HEAD", ANY_METHOD][random(4)];
        try {
          router.add(method, template, `${method} ${template}`);
          table.push({ method, template, segments: parsePathTemplate(template).segments });
        } catch (error) {
          expect(["TF_ROUTE_PATH", "TF_ROUTE_DUPLICATE"]).toContain((error as TypefastError).code);
        }
      }
      for (let n = 0; n < 60; n++) {
        const path = "/" + Array.from({ length: random(4) }, () => ["a", "b", "c", ""][random(4)]).join("/");
        for (const method of ["GET", "HEAD", "POST", "PUT"]) {
          expect(simplify(router.find(method, path)), `${method} ${path}`).toEqual(reference(table, method, path, rank));
        }
      }
    }
  });
});

function reference(
  table: Array<{ method: string; template: string; segments: PathSegment[] }>,
  method: string,
  path: string,
  rank: Record<PathSegment["kind"], number>,
): unknown {
  const parts = path.slice(1).split("/");
  const matches: Array<{ method: string; template: string; key: string; params: Record<string, string> }> = [];
  for (const route of table) {
    const params: Record<string, string> = {};
    let ok = true;
    route.segments.forEach((segment, i) => {
      if (!ok) return;
      if (segment.kind === "path") params[segment.name] = i < parts.length ? parts.slice(i).join("/") : (ok = false, "");
      else if (i >= parts.length || (i === route.segments.length - 1 && parts.length !== route.segments.length)) ok = false;
      else if (segment.kind === "static") ok = parts[i] === segment.value;
      else if (parts[i] === "") ok = false;
      else params[segment.name] = parts[i];
    });
    if (ok) matches.push({ method: route.method, template: route.template, key: route.segments.map((s) => rank[s.kind]).join(""), params });
  }
  matches.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  for (let i = 0; i < matches.length; ) {
    const group = matches.filter((m) => m.key === matches[i].key);
    const pick =
      group.find((m) => m.method === method) ??
      (method === "HEAD" ? group.find((m) => m.method === "GET") : undefined) ??
      group.find((m) => m.method === ANY_METHOD);
    if (pick) return { value: `${pick.method} ${pick.template}`, params: pick.params };
    i += group.length;
  }
  if (matches.length === 0) return null;
  const methods = new Set(matches.map((m) => m.method));
  if (methods.has("GET")) methods.add("HEAD");
  return { allowed: [...methods].sort() };
}
