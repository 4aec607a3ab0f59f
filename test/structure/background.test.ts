/** Item 7: background tasks run after the response has reached the client, in order, with errors logged. */
import { afterEach, describe, expect, it } from "vitest";
import { App, Depends, type Server } from "../../src/index.ts";
import { collectingLogger, eventually } from "../core/helpers.ts";
import { listen } from "./real-server.ts";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("BackgroundTasks on a real server", () => {
  it("run after the client has the whole response, one at a time, in the order added", async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    const app = new App();
    app.post("/signup", {}, (_args, { background }) => {
      background.add(async (email: string) => {
        order.push(`task 1 start (${email})`);
        await firstMayFinish; // the client must have its answer while this task is still running
        order.push("task 1 end");
      }, "a@example.com");
      background.add(() => void order.push("task 2"));
      order.push("handler");
      return { ok: true };
    });
    server = await listen(app);
    const res = await fetch(`${server.url}/signup`, { method: "POST" });
    expect(await res.json()).toEqual({ ok: true });
    order.push("client has response");
    releaseFirst();
    await eventually(() => order.includes("task 2"));
    expect(order.indexOf("handler")).toBe(0);
    expect(order.indexOf("client has response")).toBeLessThan(order.indexOf("task 1 end"));
    expect(order.slice(-2)).toEqual(["task 1 end", "task 2"]);
  });

  it("log a failing task and still run the next one; the client never sees the failure", async () => {
    const logger = collectingLogger();
    const ran: string[] = [];
    const app = new App({ logger });
    app.get("/", {}, (_args, { background }) => {
      background.add(() => { throw new Error("smtp down"); });
      background.add(() => void ran.push("second"));
      return { ok: true };
    });
    server = await listen(app);
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    await eventually(() => ran.length === 1);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.message).toBe("A background task of GET / failed");
    expect((logger.errors[0]!.error as Error).message).toBe("smtp down");
  });

  it("run before the teardown of request-scoped dependencies, so tasks can still use them", async () => {
    const order: string[] = [];
    const getDb = Depends(async function* () {
      order.push("db open");
      yield { query: (q: string) => order.push(`query ${q}`) };
      order.push("db closed");
    });
    const app = new App();
    app.get("/", { params: { db: getDb } }, ({ db }, { background }) => {
      background.add(() => db.query("audit"));
      return {};
    });
    server = await listen(app);
    await fetch(`${server.url}/`);
    await eventually(() => order.includes("db closed"));
    expect(order).toEqual(["db open", "query audit", "db closed"]);
  });
});
