/**
 * Seed example 45 — a Router with prefix, tags, dependencies and responses.
 *
 * Settings on the router apply to every route in it: the `/users` prefix, the `users` tag, the admin check (a
 * new route added to this router cannot forget it), and the documented 401/403 responses.
 */
import { z } from "zod";
import { App, Depends, HTTPException, Path, Router } from "../../src/index.ts";

/** Inline dependency for the demonstration; in production: verify the JWT's admin role. */
export function getCurrentAdmin() {
  return { username: "admin", role: "admin" };
}

export const router = new Router({
  prefix: "/users", // every route starts with /users
  tags: ["users"], // every route is tagged "users" in OpenAPI
  dependencies: [Depends(getCurrentAdmin)], // every route requires an admin
  responses: {
    401: { description: "Not authenticated" },
    403: { description: "Not authorized" },
  }, // documented on every route
});

const User = z.object({ id: z.int(), username: z.string(), email: z.string(), active: z.boolean().default(true) }).meta({ id: "User" });
type User = z.input<typeof User>;

export const fakeUsers: User[] = [
  { id: 1, username: "alice", email: "alice@example.com" },
  { id: 2, username: "bob", email: "bob@example.com" },
];

// Full path: GET /users/ — requires admin (from the router's dependencies)
router.get("/", { response: z.array(User) }, () => fakeUsers);

// Full path: GET /users/{user_id}
router.get("/{user_id}", { params: { user_id: Path(z.int()) }, response: User }, ({ user_id }) => {
  const user = fakeUsers.find((u) => u.id === user_id);
  if (user === undefined) throw new HTTPException(404, "User not found");
  return user;
});

// main: include the router
export const app = new App();
app.includeRouter(router); // GET /users/ and GET /users/{user_id}, both behind the admin check
