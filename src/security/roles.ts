import { Depends, type Dependency } from "../di/depends.ts";
import { HTTPException } from "../errors/http-exception.ts";

/**
 * Builds a `requireRole(...roles)` factory on top of your current-user dependency (seed example 32). Each call
 * returns a dependency that resolves to the user when they hold **any** of the roles, and answers 403
 * `Requires role(s): admin, analyst` otherwise — a 403, not a 401: the user is authenticated, just not allowed
 * (RFC 9110 §15.5.4). Use it in `params` to get the user, or in a route's, router's or app's `dependencies`.
 *
 * The same roles give back the same dependency, so `requireRole("admin")` is one cached step per request and one
 * key for `app.dependencyOverrides`.
 *
 * @example
 * const requireRole = roleGuard(getCurrentUser, (user) => user.roles);
 * app.delete("/admin/users/{user_id}", { params: { user_id: Path(z.number().int()), admin: requireRole("admin") } }, ({ user_id, admin }) => ({ deleted: user_id, by: admin.username }));
 * app.get("/reports", { dependencies: [requireRole("admin", "analyst")] }, () => ({ reports: [] }));
 */
export function roleGuard<U>(currentUser: Dependency<U>, rolesOf: (user: U) => readonly string[] | undefined): (...roles: string[]) => Dependency<U> {
  const made = new Map<string, Dependency<U>>();
  return (...roles: string[]): Dependency<U> => {
    if (roles.length === 0) throw new TypeError("requireRole(): name at least one role.");
    const id = JSON.stringify(roles);
    let dep = made.get(id);
    if (dep === undefined) {
      const detail = `Requires role(s): ${roles.join(", ")}`;
      const checker = ({ user }: { user: U }): U => {
        const held = rolesOf(user) ?? [];
        if (roles.some((role) => held.includes(role))) return user;
        throw new HTTPException(403, detail);
      };
      // The name shows in dependency trails and errors: `GET /reports → requireRole(admin, analyst)`.
      Object.defineProperty(checker, "name", { value: `requireRole(${roles.join(", ")})` });
      // A user (not a promise or generator) goes in and out, so Resolved<U> is U.
      dep = Depends({ user: currentUser }, checker) as Dependency<U>;
      made.set(id, dep);
    }
    return dep;
  };
}
