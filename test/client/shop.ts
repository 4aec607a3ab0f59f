/**
 * The app the client tests call: routes registered statement by statement and exported, so a client module can
 * `import type * as shop from "./shop.ts"` and get every route's types.
 */
import { z } from "zod";
import {
  App, Body, Cookie, Depends, File, Form, Header, HTTPException, model, Path, PlainTextResponse, Query, Router,
} from "../../src/index.ts";

export const Item = z.object({ id: z.int(), name: z.string().min(1), price: z.number(), tags: z.array(z.string()).default([]) }).meta({ id: "Item" });
export const ItemCreate = Item.omit({ id: true }).meta({ id: "ItemCreate" });
type Item = z.infer<typeof Item>;
const Owner = model({ name: z.string(), email: z.string().optional() });

export const app = new App({ title: "Client shop" });
const items = new Map<number, Item>([[1, { id: 1, name: "Widget", price: 9.5, tags: ["tools"] }]]);
let nextId = 2;
const skip = Depends({ skip: Query(z.int().min(0).default(0)) }, ({ skip }) => skip);

export const readItem = app.get("/items/{item_id}", {
  params: { item_id: Path(z.int()), q: Query(z.string().optional()) },
  response: Item,
}, function readItem({ item_id }) {
  const item = items.get(item_id);
  if (item === undefined) throw new HTTPException(404, "Item not found");
  return { ...item, secret: "filtered out by the response model" };
});

export const listItems = app.get("/items", {
  params: { limit: Query(z.int().max(100).default(10)), tag: Query(z.array(z.string()).default([])), skip },
}, function listItems({ limit, tag, skip }) {
  const all = [...items.values()].filter((i) => tag.every((t) => i.tags.includes(t)));
  return { items: all.slice(skip, skip + limit), total: all.length };
});

export const createItem = app.post("/items", { params: { item: Body(ItemCreate) }, response: Item, status: 201 }, function createItem({ item }) {
  const made = { ...item, id: nextId++ };
  items.set(made.id, made);
  return made;
});

export const updateItem = app.put("/items/{item_id}", {
  params: { item_id: Path(z.int()), item: Body(ItemCreate), x_request_id: Header(z.string().optional()) },
}, async function updateItem({ item_id, item, x_request_id }) {
  items.set(item_id, { ...item, id: item_id });
  return { updated: true, at: new Date(0), requestId: x_request_id ?? null };
});

export const deleteItem = app.delete("/items/{item_id}", { params: { item_id: Path(z.int()) }, status: 204 }, function deleteItem({ item_id }) {
  items.delete(item_id);
});

export const moveItem = app.patch("/items/{item_id}/move", {
  params: { item_id: Path(z.int()), from: Body(z.string()), to: Body(z.string()), note: Body(z.string().optional()) },
}, ({ item_id, from, to, note }) => ({ item_id, from, to, note: note ?? null }));

export const whoami = app.get("/me", {
  params: { session: Cookie(z.string()), user_agent: Header(), theme: Cookie(z.enum(["dark", "light"]).default("light")) },
}, function whoami({ session, user_agent, theme }) {
  return { session, userAgent: user_agent, theme };
});

export const upload = app.post("/files", { params: { file: File(), note: Form(z.string().optional()) } }, async function upload({ file, note }) {
  return { name: file.filename, size: file.size, text: await file.text(), note: note ?? null };
});

export const login = app.post("/token", { params: { username: Form(), password: Form() } }, function login({ username, password }) {
  return { access_token: `${username}:${password.length}`, token_type: "bearer" as const };
});

export const readme = app.get("/readme", {}, function readme() {
  return new PlainTextResponse("Welcome to the shop");
});

export const staticFile = app.get("/static/{rest:path}", { params: { rest: Path() } }, ({ rest }) => ({ rest }));

export const search = app.get("/search", { params: { item_query: Query(z.string(), { alias: "item-query" }) } }, ({ item_query }) => ({ item_query }));

export const embedded = app.post("/embedded", { params: { item: Body(ItemCreate, { embed: true }) } }, ({ item }) => item.name);

export const owner = app.get("/owner", { response: Owner }, () => ({ name: "Ann" }));

/** A router included under a prefix: its routes' paths are typed without it, see `WithPrefix`. */
const users = new Router({ tags: ["users"] });
export const userRoutes = {
  readUser: users.get("/{name}", { params: { name: Path() } }, ({ name }) => ({ name, admin: name === "root" })),
};
app.includeRouter(users, { prefix: "/users" });
