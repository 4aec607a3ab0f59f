/**
 * One app exercising every part of the OpenAPI generator: its whole document is snapshotted by
 * `full-app.test.ts`, so any change to the output is a visible diff.
 */
import { z } from "zod";
import { App, Body, Cookie, Depends, File, Files, Form, Header, Path, Query, Router, type Logger } from "../../src/index.ts";
import { APIKeyHeader, OAuth2PasswordBearer, Scopes, Security } from "../../src/security/index.ts";

/** Collects warnings so tests can assert them. */
export const warnings: string[] = [];
const logger: Logger = { error() {}, info() {}, warn: (m) => void warnings.push(m) };

// Named schemas. `price` has a default, so Item's input (price optional) and output (price present) differ.
const Tag = z.object({ name: z.string() }).meta({ id: "Tag" });
const Item = z
  .object({ name: z.string().min(1), price: z.number().positive().default(1), tags: z.array(Tag).default([]) })
  .meta({ id: "Item", description: "Something for sale" });
const ItemCreate = z.object({ name: z.string(), price: z.number() }).meta({ id: "ItemCreate" });
const Message = z.object({ detail: z.string() }).meta({ id: "Message" });
// Two different schemas with one id: the first keeps it, the second becomes Clash_2.
const ClashA = z.object({ a: z.string() }).meta({ id: "Clash" });
const ClashB = z.object({ b: z.int() }).meta({ id: "Clash" });
interface CategoryT { name: string; children: CategoryT[] }
const Category: z.ZodType<CategoryT> = z.object({ name: z.string(), get children() { return z.array(Category); } }).meta({ id: "Category" });
const Color = z.enum(["red", "green"]).meta({ id: "Color", description: "A color" });
const Subscription = z.object({ username: z.string(), monthly_fee: z.number() }).meta({ id: "Subscription" });

export const app = new App({
  title: "Full",
  version: "2.0.0",
  summary: "Every OpenAPI feature in one app",
  description: "The **whole** generator.",
  termsOfService: "https://example.com/terms",
  contact: { name: "API team", url: "https://example.com", email: "api@example.com" },
  license: { name: "MIT", identifier: "MIT" },
  openapiTags: [{ name: "items", description: "Things for sale" }, { name: "users" }],
  servers: [{ url: "https://api.example.com", description: "Production" }],
  logger,
});

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { "items:read": "Read items", me: "Read your profile" } });
const apiKey = new APIKeyHeader({ name: "x-api-key" });
const currentUser = Depends({ token: oauth2, scopes: Scopes() }, function currentUser({ token }) {
  return token;
});
// Parameters of dependencies (and of their dependencies) are parameters of every operation that uses them.
const tenant = Depends({ x_tenant: Header(z.string().optional(), { description: "Tenant id" }) }, function tenant({ x_tenant }) {
  return x_tenant;
});
const pagination = Depends(
  { skip: Query(z.int().min(0).default(0)), limit: Query(z.int().max(100).default(20)), tenant },
  function pagination({ skip, limit }) {
    return { skip, limit };
  },
);

app.get(
  "/items/{item_id}",
  {
    params: {
      item_id: Path(z.int(), { description: "The item's id", examples: [1, 2] }),
      q: Query(z.string().optional(), { title: "Query", deprecated: true }),
      user_agent: Header(z.string().optional()),
      session: Cookie(z.string().optional()),
      secret: Query(z.string().optional(), { includeInSchema: false }),
      page: pagination,
    },
    response: Item,
    tags: ["items"],
    responses: { 404: { description: "Item not found", model: Message }, "5XX": {} },
  },
  function readItem({ item_id }) {
    return { name: `item ${item_id}`, price: 2, tags: [] };
  },
);

app.post(
  "/items",
  {
    params: { item: Body(ItemCreate) },
    response: Item,
    status: 201,
    tags: ["items"],
    summary: "Create an item",
    description: "Creates an item and returns it.",
    responseDescription: "The created item",
  },
  function createItem({ item }) {
    return item;
  },
);

app.put(
  "/items/{item_id}",
  { params: { item_id: Path(z.int()), item: Body(Item), importance: Body(z.int().optional(), { description: "How important" }) }, response: Item, tags: ["items"] },
  function update_item({ item }) {
    return item;
  },
);

app.delete("/items/{item_id}", { params: { item_id: Path(z.int()) }, status: 204, deprecated: true, tags: ["items"] }, function deleteItem() {
  return null;
});

app.post("/raw", { params: { payload: Body(z.object({ x: z.int(), y: z.int().default(0) })) } }, function postRaw({ payload }) {
  return payload;
});

app.post("/transform", { params: { value: Body(z.string().transform((s) => s.length), { mediaType: "application/vnd.typefast+json" }) } }, function postTransform({ value }) {
  return { value };
});

app.post("/login", { params: { username: Form(z.string()), password: Form(z.string()), remember: Form(z.boolean().default(false)) } }, function login({ username }) {
  return { username };
});

const LoginForm = z.object({ username: z.string(), password: z.string() }).meta({ id: "LoginForm" });
app.post("/login-model", { params: { form: Form(LoginForm) } }, function loginModel({ form }) {
  return { username: form.username };
});

app.post("/upload", { params: { file: File({ description: "The main file" }), extras: Files({ optional: true }), note: Form(z.string().optional()) } }, function upload() {
  return {};
});

app.get("/search", { params: { filter: Query(z.object({ term: z.string().describe("What to look for"), color: Color.optional(), tag: z.array(z.string()).default([]) })) } }, function search() {
  return [];
});

app.get("/colors/{color}", { params: { color: Path(Color) }, response: z.array(Color) }, function listColors({ color }) {
  return [color];
});

app.get("/me", { params: { user: Security(currentUser, { scopes: ["me"] }) }, tags: ["users"] }, function readMe({ user }) {
  return { user };
});

app.get("/me/items", { params: { user: Security(currentUser, { scopes: ["items:read"] }), key: apiKey }, tags: ["users"] }, function readMyItems() {
  return [];
});

app.get("/categories", { response: z.array(Category) }, function listCategories() {
  return [];
});

app.post("/clash", { params: { a: Body(ClashA), b: Body(ClashB) } }, function clash() {
  return {};
});

app.get("/hidden", { includeInSchema: false }, function hidden() {
  return {};
});

app.get(
  "/extra",
  { openapiExtra: { "x-rate-limit": 10, parameters: [{ name: "x-raw", in: "header", schema: { type: "string" } }] }, operationId: "custom_extra" },
  function extra() {
    return {};
  },
);

// The same explicit operation id twice: the second is documented as `same_id_2`, with a warning.
app.get("/same/a", { operationId: "same_id" }, function sameA() {
  return {};
});
app.get("/same/b", { operationId: "same_id" }, function sameB() {
  return {};
});

app.get("/files/{file_path:path}", { params: { file_path: Path() } }, function readFile({ file_path }) {
  return { file_path };
});

app.get("/anonymous", {}, () => ({}));

app.route(["GET", "POST"], "/both", {}, function both() {
  return {};
});

const admin = new Router({ prefix: "/admin", tags: ["admin"], responses: { 403: { description: "Not an admin", model: Message } } });
admin.get("/stats", { response: z.object({ users: z.int() }) }, function adminStats() {
  return { users: 1 };
});
app.includeRouter(admin);

app.webhooks.post("new-subscription", { params: { body: Body(Subscription) }, description: "Sent when a user subscribes" }, function newSubscription() {});
