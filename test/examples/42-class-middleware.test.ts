import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RequestLogMiddleware, SecurityHeadersMiddleware, app, output } from "../../examples/seed/42-class-middleware.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 42: class-based middleware", () => {
  const lines: string[] = [];
  const print = output.print;
  beforeEach(() => {
    lines.length = 0;
    output.print = (line) => void lines.push(line);
  });
  afterEach(() => {
    output.print = print;
    vi.restoreAllMocks();
  });

  it("adds the security headers to every response, 404s included", async () => {
    const client = new TestClient(app);
    for (const path of ["/items", "/nope"]) {
      const res = await client.get(path);
      expect(res.header("x-content-type-options")).toBe("nosniff");
      expect(res.header("x-frame-options")).toBe("DENY");
      expect(res.header("x-xss-protection")).toBe("1; mode=block");
      expect(res.header("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
    expect((await client.get("/items")).json()).toEqual({ items: [] });
  });

  it('logs "[INFO] 127.0.0.1 GET /items 200 12.3ms" with the configured level', async () => {
    await new TestClient(app).get("/items");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[INFO\] 127\.0\.0\.1 GET \/items 200 \d+\.\dms$/);
  });

  it("runs the middleware added last first", async () => {
    const order: string[] = [];
    for (const cls of [RequestLogMiddleware, SecurityHeadersMiddleware]) {
      const original = cls.prototype.dispatch;
      vi.spyOn(cls.prototype, "dispatch").mockImplementation(function (this: InstanceType<typeof cls>, request, callNext) {
        order.push(cls.name);
        return original.call(this, request, callNext);
      });
    }
    await new TestClient(app).get("/items");
    expect(order).toEqual(["SecurityHeadersMiddleware", "RequestLogMiddleware"]);
  });
});
