import { describe, expect, expectTypeOf, it } from "vitest";
import { App, type ValueOf } from "../../src/index.ts";
import { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const app = new App();
app.post("/token", { params: { form: OAuth2PasswordRequestForm } }, ({ form }) => ({ ...form, grantType: form.grantType ?? null }));
app.post("/strict", { params: { form: OAuth2PasswordRequestFormStrict } }, ({ form }) => ({ grantType: form.grantType }));
const client = new TestClient(app);

describe("OAuth2PasswordRequestForm", () => {
  it("reads every field of a urlencoded password grant (RFC 6749 §4.3.2)", async () => {
    const res = await client.post("/token", {
      data: { grant_type: "password", username: "alice", password: "s3cret", scope: "me  items:read", client_id: "cli", client_secret: "shh" },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ grantType: "password", username: "alice", password: "s3cret", scopes: ["me", "items:read"], clientId: "cli", clientSecret: "shh" });
    expectTypeOf<ValueOf<typeof OAuth2PasswordRequestForm>>().toEqualTypeOf<OAuth2PasswordRequestForm>();
  });

  it("needs only username and password", async () => {
    const res = await client.post("/token", { data: { username: "alice", password: "pw" } });
    expect(res.json()).toEqual({ grantType: null, username: "alice", password: "pw", scopes: [] });
  });

  it("answers one 422 listing every missing field, located in the body", async () => {
    const res = await client.post("/token", { data: {} });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { loc: string[] }) => d.loc)).toEqual([
      ["body", "username"],
      ["body", "password"],
    ]);
  });

  it("refuses a grant_type other than password", async () => {
    const res = await client.post("/token", { data: { grant_type: "client_credentials", username: "a", password: "b" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0].loc).toEqual(["body", "grant_type"]);
  });

  it("documents its fields as form parameters, the secrets with format: password", () => {
    const params = app.routes.find((r) => r.path === "/token")!.basePlan.params;
    expect(params.map((p) => [p.source, p.wireName])).toEqual([
      ["form", "grant_type"],
      ["form", "username"],
      ["form", "password"],
      ["form", "scope"],
      ["form", "client_id"],
      ["form", "client_secret"],
    ]);
    const password = params.find((p) => p.wireName === "password")!;
    expect(password.schema!.inputJsonSchema()).toMatchObject({ type: "string", format: "password" });
  });
});

describe("OAuth2PasswordRequestFormStrict", () => {
  it("requires grant_type=password", async () => {
    expect((await client.post("/strict", { data: { grant_type: "password", username: "a", password: "b" } })).json()).toEqual({ grantType: "password" });
    const missing = await client.post("/strict", { data: { username: "a", password: "b" } });
    expect(missing.status).toBe(422);
    expect(missing.json().detail[0].loc).toEqual(["body", "grant_type"]);
  });
});
