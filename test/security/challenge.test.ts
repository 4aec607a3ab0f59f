import { describe, expect, it } from "vitest";
import { bearerChallenge, challenge, invalidToken, notAuthenticated, SecurityScopes, splitScopes } from "../../src/security/index.ts";

describe("WWW-Authenticate challenges", () => {
  it("quotes every parameter and escapes quotes and backslashes (RFC 9110 §5.6.4)", () => {
    expect(challenge("Basic", { realm: 'say "hi" \\ bye' })).toBe('Basic realm="say \\"hi\\" \\\\ bye"');
    expect(challenge("Bearer", { realm: undefined, scope: "" })).toBe("Bearer");
  });

  it("builds RFC 6750 §3 bearer challenges", () => {
    expect(bearerChallenge()).toBe("Bearer");
    expect(bearerChallenge({ realm: "shop", scopes: new SecurityScopes(["a", "b"]) })).toBe('Bearer realm="shop", scope="a b"');
    expect(bearerChallenge({ error: "invalid_token", description: "The token has expired" })).toBe('Bearer error="invalid_token", error_description="The token has expired"');
  });

  it("makes 401 exceptions", () => {
    const missing = notAuthenticated("Bearer");
    expect([missing.status, missing.detail, missing.headers]).toEqual([401, "Not authenticated", { "WWW-Authenticate": "Bearer" }]);
    const invalid = invalidToken("The token is malformed", { scopes: ["me"] });
    expect([invalid.status, invalid.detail]).toEqual([401, "Could not validate credentials"]);
    expect(invalid.headers).toEqual({ "WWW-Authenticate": 'Bearer scope="me", error="invalid_token", error_description="The token is malformed"' });
  });

  it("splits scope strings on spaces", () => {
    expect(splitScopes("  me  items:read ")).toEqual(["me", "items:read"]);
    expect(splitScopes("")).toEqual([]);
  });
});
