/**
 * The dependencies routes declare, built once per app instance around its services (tests run several instances
 * in one process, so nothing here is a module-level singleton).
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { Depends, Query, type Dependency } from "../../src/index.ts";
import { createAuth, type Auth } from "./auth.ts";
import type { Database } from "./db/schema.ts";
import { sessionDependency, type Session } from "./db/session.ts";
import type { Services } from "./services.ts";

export interface AppDeps extends Auth {
  readonly services: Services;
  /** The root query builder: reads, and single statements that need no transaction. */
  readonly database: Dependency<Kysely<Database>>;
  /** A transaction for the request: committed when the handler returns, rolled back when it throws. */
  readonly session: Dependency<Session>;
  /** `?skip=&limit=` offset pagination. */
  readonly offsetPage: Dependency<{ skip: number; limit: number }>;
}

export function buildDeps(services: Services): AppDeps {
  const database = Depends(function database() {
    return services.db;
  });
  const offsetPage = Depends(
    {
      skip: Query(z.int().min(0).max(1_000_000).default(0), { description: "Rows to skip" }),
      limit: Query(z.int().min(1).max(100).default(20), { description: "Page size (1–100)" }),
    },
    function offsetPage({ skip, limit }) {
      return { skip, limit };
    },
  );
  return {
    services,
    database,
    session: sessionDependency(() => services.db, services.logger),
    offsetPage,
    ...createAuth(services.settings),
  };
}
