/**
 * Type-level tests: `npm test` runs `tsc --noEmit` over test/, so every `@ts-expect-error` below must be an error
 * (an unused one fails the type check), and every `expectTypeOf` must hold.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  App, Body, Cookie, Depends, File, Files, Form, Header, Path, Query, type RequestContext, type UploadFile,
} from "../../src/index.ts";

interface User { name: string; admin: boolean }
const getUser = Depends((): User => ({ name: "ann", admin: false }));
async function* getDb() {
  yield { query: (sql: string): string[] => [sql] };
}
class Paginator {
  readonly params = { limit: Query(z.int().default(10)) };
  call({ limit }: { limit: number }) { return { limit, offset: 0 }; }
}

describe("handler argument types", () => {
  it("follow each parameter's schema output", () => {
    const app = new App();
    app.post("/items/{id}", {
      params: {
        id: Path(z.int()),
        q: Query(z.string().optional()),
        tags: Query(z.array(z.int()).default([])),
        token: Header(),
        session: Cookie(z.string().nullable()),
        item: Body(z.object({ name: z.string(), price: z.number().default(0) })),
      },
    }, (args, ctx) => {
      expectTypeOf(args.id).toEqualTypeOf<number>();
      expectTypeOf(args.q).toEqualTypeOf<string | undefined>();
      expectTypeOf(args.tags).toEqualTypeOf<number[]>();
      expectTypeOf(args.token).toEqualTypeOf<string>();
      expectTypeOf(args.session).toEqualTypeOf<string | null>();
      expectTypeOf(args.item).toEqualTypeOf<{ name: string; price: number }>();
      expectTypeOf(ctx).toEqualTypeOf<RequestContext>();
      return null;
    });
    expect(app.routes.map((r) => r.path)).toContain("/items/{id}");
  });

  it("forms and files", () => {
    new App().post("/upload", { params: { file: File(), maybe: File({ optional: true }), all: Files(), note: Form() } }, (args) => {
      expectTypeOf(args.file).toEqualTypeOf<UploadFile>();
      expectTypeOf(args.maybe).toEqualTypeOf<UploadFile | undefined>();
      expectTypeOf(args.all).toEqualTypeOf<UploadFile[]>();
      expectTypeOf(args.note).toEqualTypeOf<string>();
      return null;
    });
  });

  it("dependencies give what they return, resolve or yield", () => {
    const nested = Depends({ user: getUser, db: Depends(getDb) }, ({ user, db }) => {
      expectTypeOf(user).toEqualTypeOf<User>();
      return db.query(user.name).length;
    });
    new App().get("/deps", {
      params: { user: getUser, db: Depends(getDb), page: Depends(new Paginator()), count: nested, again: Depends(getUser, { useCache: false }) },
    }, (args) => {
      expectTypeOf(args.user).toEqualTypeOf<User>();
      expectTypeOf(args.db.query).returns.toEqualTypeOf<string[]>();
      expectTypeOf(args.page).toEqualTypeOf<{ limit: number; offset: number }>();
      expectTypeOf(args.count).toEqualTypeOf<number>();
      expectTypeOf(args.again).toEqualTypeOf<User>();
      return null;
    });
  });
});

describe("misuse is a type error", () => {
  it("an override must produce the original's type", () => {
    const app = new App();
    app.dependencyOverrides.set(getUser, () => ({ name: "test", admin: true }));
    app.dependencyOverrides.set(getDb, () => ({ query: () => [] }));
    // @ts-expect-error — a number is not a User
    app.dependencyOverrides.set(getUser, () => 42);
    // @ts-expect-error — missing `admin`
    app.dependencyOverrides.set(getUser, () => ({ name: "x" }));
    app.dependencyOverrides.clear();
    expect(app.dependencyOverrides.size).toBe(0);
  });

  it("a handler cannot read a parameter that is not declared", () => {
    // @ts-expect-error — `nope` is not in params
    new App().get("/x", { params: { q: Query() } }, ({ nope }) => nope);
  });

  it("a handler must return data shaped like its response model", () => {
    const Out = z.object({ id: z.int() });
    new App().get("/ok", { response: Out }, () => ({ id: 1 }));
    // @ts-expect-error — id must be a number
    new App().get("/x", { response: Out }, () => ({ id: "one" }));
    // @ts-expect-error — async handlers too
    new App().get("/y", { response: Out }, async () => ({ identifier: 1 }));
  });

  it("a JSON body needs a schema", () => {
    // @ts-expect-error — Body() without a schema
    const untyped = () => Body();
    expect(typeof untyped).toBe("function");
  });
});
