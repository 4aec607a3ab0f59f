/**
 * How long the OpenAPI document of a large app takes to generate (target: under 1 s for 500 routes).
 *
 *   node --import tsx bench/openapi-generation.ts [routes=500] [runs=5]
 *
 * Each run builds a fresh app (so no conversion is cached) and times `app.openapi()` alone; it prints the first
 * run, the fastest and the median. Serving `/openapi.json` afterwards only reads the cached document.
 */
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { App, Body, Depends, Form, Header, Path, Query, Router, silentLogger } from "../src/index.ts";
import { OAuth2PasswordBearer, Security } from "../src/security/index.ts";

/** An app with `routes` routes mixing path/query/header params, dependencies, JSON and form bodies, security. */
export function buildLargeApp(routes: number): App {
  const app = new App({ title: "Large", logger: silentLogger });
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read", write: "Write" } });
  const user = Depends({ token: oauth2 }, function currentUser({ token }) {
    return token;
  });
  const paging = Depends({ skip: Query(z.int().min(0).default(0)), limit: Query(z.int().max(100).default(20)) }, function paging(p) {
    return p;
  });
  // Twenty resources with their own named schemas, each used by a list, read, create, update and login-like route.
  const perResource = 5;
  for (let r = 0; r * perResource < routes; r++) {
    const Tag = z.object({ name: z.string(), weight: z.number().default(1) }).meta({ id: `Tag${r}` });
    const Model = z
      .object({ id: z.int(), name: z.string().min(1), price: z.number().positive(), tags: z.array(Tag).default([]), note: z.string().nullable().default(null) })
      .meta({ id: `Resource${r}` });
    const Create = Model.omit({ id: true }).meta({ id: `Resource${r}Create` });
    const router = new Router({ prefix: `/r${r}`, tags: [`resource${r}`], responses: { 404: { description: "Not found", model: z.object({ detail: z.string() }).meta({ id: "Message" }) } } });
    const add = [
      () => router.get("/items", { params: { page: paging, q: Query(z.string().optional()) }, response: z.array(Model) }, function listItems() {
        return [];
      }),
      () => router.get("/items/{item_id}", { params: { item_id: Path(z.int()), x_trace: Header(z.string().optional()) }, response: Model }, function readItem() {
        return { id: 1, name: "a", price: 1 };
      }),
      () => router.post("/items", { params: { item: Body(Create), user: Security(user, { scopes: ["write"] }) }, response: Model, status: 201 }, function createItem() {
        return { id: 1, name: "a", price: 1 };
      }),
      () => router.put("/items/{item_id}", { params: { item_id: Path(z.int()), item: Body(Create), importance: Body(z.int()) }, response: Model }, function updateItem() {
        return { id: 1, name: "a", price: 1 };
      }),
      () => router.post("/login", { params: { username: Form(z.string()), password: Form(z.string()) } }, function login() {
        return {};
      }),
    ];
    for (let i = 0; i < perResource && r * perResource + i < routes; i++) add[i]();
    app.includeRouter(router);
  }
  return app;
}

/** Times one cold generation; returns milliseconds and the operation count. */
export function timeGeneration(routes: number): { ms: number; operations: number } {
  const app = buildLargeApp(routes);
  const start = performance.now();
  const doc = app.openapi();
  const ms = performance.now() - start;
  const operations = Object.values(doc.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
  return { ms, operations };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const routes = Number(process.argv[2] ?? 500);
  const runs = Number(process.argv[3] ?? 5);
  const times: number[] = [];
  let operations = 0;
  for (let i = 0; i < runs; i++) {
    const t = timeGeneration(routes);
    times.push(t.ms);
    operations = t.operations;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `OpenAPI generation, ${routes} routes (${operations} operations): first ${times[0].toFixed(1)} ms, ` +
      `fastest ${sorted[0].toFixed(1)} ms, median of ${runs} ${median.toFixed(1)} ms`,
  );
}
