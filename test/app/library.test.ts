/**
 * Authors and books: eager loading in a bounded number of queries, transactions that leave nothing behind when a
 * request fails half-way, and foreign-key problems answered 404/409/422 — never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Body } from "../../src/index.ts";
import { createAuthor } from "../../examples/app/db/library.ts";
import { Client, queryCount } from "./client.ts";
import { BACKENDS, dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";

describe.each(BACKENDS)("library on %s", (backend) => {
  let place: Place;
  let running: Running;
  let client: Client;
  let token: string;

  beforeAll(async () => {
    place = newPlace(backend);
    running = await startApp(place, {}, {
      // A route that fails after writing: the transaction must take the write back.
      extend: (app, deps) => {
        app.post("/test/half-written", { params: { body: Body(z.object({ name: z.string() })), s: deps.session }, includeInSchema: false }, async ({ body, s }) => {
          await s.db.insertInto("authors").values({ name: body.name, bio: null, created_at: new Date().toISOString() }).execute();
          throw new Error("the disk caught fire after the first insert");
        });
      },
    });
    client = new Client(running.url);
    token = await client.token("demo");
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  const authorsNamed = (name: string) => running.db.selectFrom("authors").selectAll().where("name", "=", name).execute();
  const bookCount = async () => Number((await running.db.selectFrom("books").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("creates an author with books in one request", async () => {
    const reply = await client.post("/authors", {
      token,
      json: { name: "Frank Herbert", books: [{ title: "Dune", isbn: "978-0-441-17271-9", year: 1965 }, { title: "Dune Messiah" }] },
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get("location")).toBe(`/authors/${reply.body.id}`);
    expect(reply.body.books.map((b: { title: string }) => b.title)).toEqual(["Dune", "Dune Messiah"]);
    expect(reply.body.books[0].isbn).toBe("9780441172719"); // hyphens removed
    const read = await client.get(`/authors/${reply.body.id}`);
    expect(read.body).toEqual(reply.body);
    expect(queryCount(read)).toBe(2); // the author, then their books
  });

  it("loads a page of authors with all their books in the same number of queries, however many authors", async () => {
    const counts: number[] = [];
    for (const extra of [2, 10]) {
      for (let i = 0; i < extra; i++) {
        await createAuthor(running.db, { name: `Author ${extra}-${i}` }, [{ title: `Book ${extra}-${i}-a` }, { title: `Book ${extra}-${i}-b` }]);
      }
      const reply = await client.get("/authors?limit=100");
      expect(reply.status).toBe(200);
      for (const author of reply.body.authors) for (const book of author.books) expect(book.author_id).toBe(author.id);
      const generated = reply.body.authors.filter((a: { name: string }) => a.name.startsWith("Author "));
      expect(generated.every((a: { books: unknown[] }) => a.books.length === 2)).toBe(true);
      counts.push(queryCount(reply));
    }
    // count + authors + books, whether the page holds 3 authors or 13: no query per author.
    expect(counts).toEqual([3, 3]);
    const books = await client.get("/books?limit=100");
    expect(books.body.every((b: { author: { id: number }; author_id: number }) => b.author.id === b.author_id)).toBe(true);
    expect(queryCount(books)).toBe(1); // one joined query
  });

  it("rolls back the author when one of their books is refused (duplicate ISBN): 409, nothing written", async () => {
    await client.post("/authors", { token, json: { name: "First owner", books: [{ title: "Taken", isbn: "0306406152" }] } });
    const books = await bookCount();
    const reply = await client.post("/authors", { token, json: { name: "Half written", books: [{ title: "Fine", isbn: "9780306406157" }, { title: "Clash", isbn: "0-306-40615-2" }] } });
    expect(reply.status).toBe(409);
    expect(reply.body.error_code).toBe("ISBN_TAKEN");
    expect(await authorsNamed("Half written")).toEqual([]);
    expect(await bookCount()).toBe(books);
  });

  it("rolls back when the handler crashes after writing: a 500 that reveals nothing, logged with the request id", async () => {
    const reply = await client.post("/test/half-written", { json: { name: "Ghost" }, headers: { "x-request-id": "crash-test-1" } });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error_code: "INTERNAL_ERROR", message: "Internal Server Error", details: null });
    expect(await authorsNamed("Ghost")).toEqual([]);
    const line = running.logs.find((l) => l.request_id === "crash-test-1" && l.level === "error" && l.error);
    expect(line?.error.message).toBe("the disk caught fire after the first insert");
    // The connection went back to the pool/unlocked: the next transaction works.
    expect((await client.post("/authors", { token, json: { name: "After the crash" } })).status).toBe(201);
  });

  it("answers foreign-key problems with 404, 422 or 409 and a clear message, never 500", async () => {
    const unknownInPath = await client.post("/authors/999999/books", { token, json: { title: "Orphan" } });
    expect(unknownInPath.status).toBe(404);
    expect(unknownInPath.body).toEqual({ error_code: "AUTHOR_NOT_FOUND", message: "Author 999999 does not exist", details: null });

    const unknownInBody = await client.post("/books", { token, json: { title: "Orphan", author_id: 999999 } });
    expect(unknownInBody.status).toBe(422);
    expect(unknownInBody.body).toEqual({ error_code: "UNKNOWN_AUTHOR", message: "author_id 999999 does not refer to an existing author", details: null });

    const author = (await client.post("/authors", { token, json: { name: "Has books", books: [{ title: "Keeps them" }] } })).body;
    const stillReferenced = await client.delete(`/authors/${author.id}`, { token });
    expect(stillReferenced.status).toBe(409);
    expect(stillReferenced.body).toEqual({ error_code: "AUTHOR_HAS_BOOKS", message: `Author ${author.id} still has books: delete them first`, details: null });
    expect(await authorsNamed("Has books")).toHaveLength(1);

    expect((await client.delete(`/books/${author.books[0].id}`, { token })).status).toBe(204);
    expect((await client.delete(`/authors/${author.id}`, { token })).status).toBe(204);
    expect((await client.get(`/authors/${author.id}`)).status).toBe(404);
    expect((await client.delete("/books/999999", { token })).status).toBe(404);
  });

  it("adds a book to an author, and refuses a bad ISBN or year with nothing written", async () => {
    const author = (await client.post("/authors", { token, json: { name: "Prolific" } })).body;
    const added = await client.post(`/authors/${author.id}/books`, { token, json: { title: "One more", year: 2001 } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ title: "One more", year: 2001, author_id: author.id });
    const books = await bookCount();
    const bad = await client.post(`/authors/${author.id}/books`, { token, json: { title: "Bad", isbn: "12345", year: 99999 } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: { loc: string[] }) => d.loc.join("."))).toEqual(["body.isbn", "body.year"]);
    // The handler never ran. (Typefast still opens — and rolls back — the session: it calls a route's dependencies
    // before validating the route's own body, as FastAPI does; at most BEGIN and ROLLBACK.)
    expect(queryCount(bad)).toBeLessThanOrEqual(2);
    expect(await bookCount()).toBe(books);
  });

  it("requires a signed-in user to change the catalog", async () => {
    expect((await client.post("/authors", { json: { name: "Anonymous" } })).status).toBe(401);
    expect((await client.get("/authors")).status).toBe(200);
  });
});
