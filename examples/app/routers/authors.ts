/**
 * The library: authors and their books, a one-to-many relationship. Lists are eager-loaded (a page of authors
 * and all their books in a fixed number of queries); creating an author with books is one transaction.
 */
import { z } from "zod";
import { Body, Path, Router } from "../../../src/index.ts";
import { addBook, authorWithBooks, authorsWithBooks, booksWithAuthors, createAuthor, createBook, deleteAuthor, deleteBook } from "../db/library.ts";
import type { AppDeps } from "../deps.ts";
import { Author, AuthorCreate, AuthorPage, Book, BookCreate, BookCreateWithAuthor, BookWithAuthor, ErrorResponse } from "../models.ts";

const authorId = Path(z.int().min(1), { description: "The author's id" });
const errors = (...statuses: Array<404 | 409 | 422>) =>
  Object.fromEntries(statuses.map((s) => [s, { description: { 404: "Not found", 409: "Conflicts with existing data", 422: "Invalid input" }[s], model: ErrorResponse }]));

export function authorsRouter(deps: AppDeps): Router {
  const { database, session, requireRole } = deps;
  const router = new Router({ tags: ["library"] });
  // Reading is public; changing the catalog takes a signed-in user.
  const writer = requireRole("user");

  router.get(
    "/authors",
    { params: { page: deps.offsetPage, db: database }, response: AuthorPage, summary: "List authors with their books" },
    async function listAuthors({ page, db }) {
      return { ...(await authorsWithBooks(db, page.skip, page.limit)), ...page };
    },
  );

  router.get("/authors/{author_id}", { params: { author_id: authorId, db: database }, response: Author, responses: errors(404), summary: "Read an author with their books" }, function readAuthor({ author_id, db }) {
    return authorWithBooks(db, author_id);
  });

  router.post(
    "/authors",
    {
      params: { body: Body(AuthorCreate), user: writer, s: session },
      response: Author,
      status: 201,
      responses: errors(409),
      summary: "Create an author, optionally with books",
      description: "All or nothing: if one book is refused (a duplicate ISBN), the author is not created either.",
    },
    async function createAuthorRoute({ body, s }, ctx) {
      const { books, ...author } = body;
      const created = await createAuthor(s.db, author, books);
      ctx.response.setHeader("location", `/authors/${created.id}`);
      return created;
    },
  );

  router.delete("/authors/{author_id}", { params: { author_id: authorId, user: writer, s: session }, status: 204, responses: errors(404, 409), summary: "Delete an author without books" }, async function deleteAuthorRoute({ author_id, s }) {
    await deleteAuthor(s.db, author_id);
  });

  router.post(
    "/authors/{author_id}/books",
    { params: { author_id: authorId, body: Body(BookCreate), user: writer, s: session }, response: Book, status: 201, responses: errors(404, 409), summary: "Add a book to an author" },
    function addBookRoute({ author_id, body, s }) {
      return addBook(s.db, author_id, body);
    },
  );

  router.get("/books", { params: { page: deps.offsetPage, db: database }, response: z.array(BookWithAuthor), summary: "List books with their author (one joined query)" }, function listBooks({ page, db }) {
    return booksWithAuthors(db, page.skip, page.limit);
  });

  router.post(
    "/books",
    { params: { body: Body(BookCreateWithAuthor), user: writer, s: session }, response: Book, status: 201, responses: errors(409, 422), summary: "Create a book for an existing author" },
    function createBookRoute({ body, s }) {
      return createBook(s.db, body);
    },
  );

  router.delete("/books/{book_id}", { params: { book_id: Path(z.int().min(1)), user: writer, s: session }, status: 204, responses: errors(404), summary: "Delete a book" }, async function deleteBookRoute({ book_id, s }) {
    await deleteBook(s.db, book_id);
  });

  return router;
}
