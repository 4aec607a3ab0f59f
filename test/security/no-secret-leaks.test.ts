// Secrets — passwords, tokens, keys — must never come back in an error body or header, nor reach the logs.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { App, Depends, HTTPException, type Logger } from "../../src/index.ts";
import { AccessTokens, APIKeyHeader, HTTPBasic, OAuth2PasswordBearer, OAuth2PasswordRequestFormStrict, PasswordHasher, TokenError } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const PASSWORD = "correct-horse-battery-staple-42";
const SECRET = "leak-test-secret-0123456789abcdefghij";

const logged: string[] = [];
const logger: Logger = {
  error: (message, error) => logged.push(message, inspect(error, { depth: 5 })),
  warn: (message) => logged.push(message),
  info: (message) => logged.push(message),
};

const hasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1 });
const stored = await hasher.hash(PASSWORD);
const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token" });
const basic = new HTTPBasic();
const apiKey = new APIKeyHeader({ name: "x-api-key" });

const app = new App({ logger });
app.post("/token", { params: { form: OAuth2PasswordRequestFormStrict } }, async ({ form }) => {
  if (!(await hasher.verify(form.username === "alice" ? stored : undefined, form.password))) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
  return { access_token: await tokens.create({ sub: form.username }), token_type: "bearer" };
});
app.get("/me", { params: { user: Depends({ token: oauth2 }, ({ token }) => tokens.authenticate(token)) } }, ({ user }) => ({ sub: user.sub }));
app.get("/basic", { params: { creds: basic } }, () => ({}));
app.get("/key", { params: { key: apiKey } }, () => ({}));
app.get("/crash", { params: { token: oauth2 } }, async ({ token }) => {
  await tokens.verify(token).catch((e: unknown) => {
    // A TokenError logged by mistake still carries nothing secret.
    logger.error("verification failed", e);
  });
  throw new Error("boom");
});
const client = new TestClient(app);

function expectClean(text: string, ...secrets: string[]) {
  for (const secret of [...secrets, PASSWORD, SECRET]) expect(text).not.toContain(secret);
}

describe("no secret leaks", () => {
  it("failed logins and malformed token requests echo no password", async () => {
    const attempts = [
      await client.post("/token", { data: { grant_type: "password", username: "alice", password: `${PASSWORD}x` } }),
      await client.post("/token", { data: { grant_type: "password", username: "bob", password: PASSWORD } }),
      await client.post("/token", { data: { username: "alice", password: PASSWORD } }),
      await client.post("/token", { data: { grant_type: "client_credentials", username: "alice", password: PASSWORD } }),
      await client.post("/token", { json: { grant_type: "password", username: "alice", password: PASSWORD } }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 422, 422, 422]);
    for (const res of attempts) expectClean(res.text + JSON.stringify(res.headers), `${PASSWORD}x`);
  });

  it("refused tokens are not echoed in the body or the challenge", async () => {
    const good = (await client.post("/token", { data: { grant_type: "password", username: "alice", password: PASSWORD } })).json().access_token as string;
    const [h, p, s] = good.split(".");
    const tampered = `${h}.${p}x.${s}`;
    const foreign = await new AccessTokens({ algorithm: "HS256", secret: "other-secret-0123456789abcdefghijkl" }).create({ sub: "alice" });
    for (const token of [tampered, foreign, "x".repeat(40), `${h}.${p}`]) {
      const res = await client.get("/me", { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expectClean(res.text + JSON.stringify(res.headers), token, s!);
    }
  });

  it("Basic and API key failures echo no credentials", async () => {
    const creds = Buffer.from(`alice:${PASSWORD}`).toString("base64");
    const basicRes = await client.get("/basic", { headers: { authorization: `Basic ${creds.slice(0, -1)}!` } });
    expect(basicRes.status).toBe(401);
    expectClean(basicRes.text + JSON.stringify(basicRes.headers), creds.slice(0, -1));
    const keyRes = await client.get("/key", { headers: { "x-api-key": "" } });
    expect(keyRes.status).toBe(401);
  });

  it("a crash after authentication logs neither the token nor the secret, and answers a generic 500", async () => {
    logged.length = 0;
    const jwt = await tokens.create({ sub: "alice" });
    const bad = `${jwt.slice(0, -3)}abc`;
    const res = await client.get("/crash", { headers: { authorization: `Bearer ${bad}` } }).catch((e: unknown) => e);
    // The test client re-raises server errors (FastAPI's raise_server_exceptions); either way nothing leaks.
    const text = res instanceof Error ? inspect(res) : (res as { text: string }).text;
    expectClean(text + logged.join("\n"), bad, jwt.split(".")[2]!);
    expect(logged.join("\n")).toContain("The token's signature is invalid");
  });

  it("TokenError keeps no reference to jose's error (whose payload holds the claims)", async () => {
    const error = await tokens.verify("a.b.c").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as Error).cause).toBeUndefined();
  });
});
