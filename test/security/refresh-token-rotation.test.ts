// Tests examples/security/refresh-token-rotation.ts (an executable doc of docs/security.md).
import { describe, expect, it, vi } from "vitest";
import { app, REFRESH_TOKEN_LIFETIME_MS, refreshTokens } from "../../examples/security/refresh-token-rotation.ts";
import { TestClient } from "../../src/testing/index.ts";

const client = new TestClient(app);
const login = async () => (await client.post("/token", { data: { username: "alice", password: "secret" } })).json();
const refresh = (refresh_token: string, grant_type = "refresh_token") => client.post("/token/refresh", { data: { grant_type, refresh_token } });
const me = (access: string) => client.get("/users/me", { headers: { authorization: `Bearer ${access}` } });

describe("example: refresh-token rotation", () => {
  it("login answers an access token and a refresh token, never cached", async () => {
    const res = await client.post("/token", { data: { username: "alice", password: "secret" } });
    expect(res.status).toBe(200);
    expect(res.header("cache-control")).toBe("no-store");
    const pair = res.json();
    expect(pair).toMatchObject({ token_type: "bearer", expires_in: 900 });
    expect(pair.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await me(pair.access_token)).json()).toEqual({ username: "alice" });
  });

  it("a refresh token is exchanged for a new pair, once", async () => {
    const first = await login();
    const res = await refresh(first.refresh_token);
    expect(res.status).toBe(200);
    const second = res.json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.access_token)).json()).toEqual({ username: "alice" });
    // The next rotation works with the new token…
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it("reusing a consumed refresh token revokes the whole family (RFC 9700 §4.14.2)", async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).json();
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.json()).toEqual({ error: "invalid_grant", error_description: "Refresh token reuse detected; the session was revoked" });
    // The legitimate client's newer token died with the family.
    const after = await refresh(second.refresh_token);
    expect(after.status).toBe(400);
    expect(after.json().error).toBe("invalid_grant");
  });

  it("other sessions of the same user survive a revoked family", async () => {
    const a = await login();
    const b = await login();
    await refresh(a.refresh_token);
    await refresh(a.refresh_token); // reuse: family of a revoked
    expect((await refresh(b.refresh_token)).status).toBe(200);
  });

  it("unknown, expired and wrong-grant requests are refused", async () => {
    expect((await refresh("made-up-token")).json()).toEqual({ error: "invalid_grant", error_description: "Invalid or expired refresh token" });
    const pair = await login();
    expect((await refresh(pair.refresh_token, "password")).status).toBe(422);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + REFRESH_TOKEN_LIFETIME_MS + 1000 });
    try {
      expect((await refresh(pair.refresh_token)).status).toBe(400);
    } finally {
      vi.useRealTimers();
    }
  });

  it("logout revokes the family", async () => {
    const pair = await login();
    expect((await client.post("/logout", { data: { refresh_token: pair.refresh_token } })).status).toBe(204);
    expect(refreshTokens.familyOf(pair.refresh_token)).toBeUndefined();
    expect((await refresh(pair.refresh_token)).status).toBe(400);
  });
});
