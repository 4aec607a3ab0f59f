/**
 * Seed example 39 — dependency overrides in tests.
 *
 * `/profile` needs an authenticated user and a database; neither exists in tests. The fakes below replace them
 * through `app.dependencyOverrides` (type-checked: a fake must return what the original returns).
 */
import { App, Depends, HTTPException } from "../../src/index.ts";

export interface User {
  username: string;
  email: string;
}

export interface Database {
  query(): unknown[];
}

/** Production: verifies the caller's token. Here it always refuses. */
export function getCurrentUser(): User {
  throw new HTTPException(401, "Not authenticated");
}

/** Production: a real database session. Not available in tests. */
export function getDb(): Database {
  throw new Error("Real DB not available in tests");
}

export const app = new App({ title: "Dependency overrides" });

app.get("/profile", {
  params: { user: Depends(getCurrentUser), db: Depends(getDb) },
}, ({ user }) => ({ username: user.username, email: user.email }));

// --- Test doubles (the seed keeps them in its test file) ---

export function fakeCurrentUser(): User {
  return { username: "testuser", email: "test@example.com" };
}

export class FakeDB implements Database {
  query(): unknown[] {
    return [];
  }
}

export function fakeGetDb(): Database {
  return new FakeDB();
}
