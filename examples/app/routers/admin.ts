/**
 * Administration (seed example 45): one router whose every route requires the `admin` role — a route added here
 * later cannot forget the check. Reports are open to analysts too.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { Body, memoize, Path, Router } from "../../../src/index.ts";
import { apiError } from "../db/errors.ts";
import type { Database } from "../db/schema.ts";
import { deleteUser, listUsers, toUserView, updateUser } from "../db/users.ts";
import type { AppDeps } from "../deps.ts";
import { ErrorResponse, User, UserAdminUpdate, UserPage } from "../models.ts";

const userId = Path(z.int().min(1), { description: "The user's id" });

export function adminRouter(deps: AppDeps): Router {
  const { database, session, requireRole } = deps;
  const router = new Router({
    prefix: "/admin",
    tags: ["admin"],
    dependencies: [requireRole("admin")],
    responses: { 401: { description: "Not authenticated", model: ErrorResponse }, 403: { description: "Not an admin", model: ErrorResponse } },
  });

  router.get("/users", { params: { page: deps.offsetPage, db: database }, response: UserPage, summary: "List users" }, async function adminListUsers({ page, db }) {
    const { users, total } = await listUsers(db, page.skip, page.limit);
    return { users: users.map(toUserView), total, ...page };
  });

  router.patch(
    "/users/{user_id}",
    { params: { user_id: userId, body: Body(UserAdminUpdate), admin: requireRole("admin"), s: session }, response: User, summary: "Change a user's roles or disable them" },
    async function adminUpdateUser({ user_id, body, admin, s }) {
      if (user_id === admin.id && (body.disabled === true || (body.roles !== undefined && !body.roles.includes("admin")))) {
        throw apiError(409, "SELF_LOCKOUT", "You cannot disable yourself or drop your own admin role");
      }
      return toUserView(await updateUser(s.db, user_id, body));
    },
  );

  router.delete(
    "/users/{user_id}",
    { params: { user_id: userId, admin: requireRole("admin"), s: session }, status: 204, responses: { 404: { description: "No such user", model: ErrorResponse }, 409: { description: "The user still owns items", model: ErrorResponse } }, summary: "Delete a user" },
    async function adminDeleteUser({ user_id, admin, s }) {
      if (user_id === admin.id) throw apiError(409, "SELF_LOCKOUT", "You cannot delete yourself");
      await deleteUser(s.db, user_id);
    },
  );

  return router;
}

const Summary = z
  .object({ users: z.int(), items: z.int(), authors: z.int(), books: z.int(), average_price: z.number().nullable(), computed_at: z.string() })
  .meta({ id: "Summary" });

/** `GET /reports/summary`: admin or analyst; computed at most every 10 s per process (seed example 48). */
export function reportsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: "/reports", tags: ["reports"] });
  const summary = memoize(
    async (db: Kysely<Database>) => {
      const count = (table: keyof Database) => db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n));
      const avg = await db.selectFrom("items").select((eb) => eb.fn.avg("price_cents").as("avg")).executeTakeFirstOrThrow();
      const [users, items, authors, books] = [await count("users"), await count("items"), await count("authors"), await count("books")];
      const average_price = avg.avg === null ? null : Math.round(Number(avg.avg)) / 100;
      return { users, items, authors, books, average_price, computed_at: new Date().toISOString() };
    },
    { ttl: 10, key: () => "summary" },
  );
  router.get(
    "/summary",
    { params: { viewer: deps.requireRole("admin", "analyst"), db: deps.database }, response: Summary, summary: "Catalog statistics (cached 10 s)" },
    function readSummary({ db }) {
      return summary(db);
    },
  );
  return router;
}
