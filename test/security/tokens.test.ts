import { generateKeyPairSync } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { z } from "zod";
import { HTTPException } from "../../src/index.ts";
import { AccessTokens, TokenError, type TokenErrorCode } from "../../src/security/index.ts";

const SECRET = "tokens-test-secret-0123456789abcdef";
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ed = generateKeyPairSync("ed25519");
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });

async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}
async function code(promise: Promise<unknown>): Promise<TokenErrorCode> {
  return (await failure(promise)).code;
}
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

afterEach(() => {
  vi.useRealTimers();
});

describe("AccessTokens round trips", () => {
  it("HS256: issues sub, iat, exp, jti and custom claims, typed by the claims schema", async () => {
    const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET, expiresIn: "30m", claims: z.object({ roles: z.array(z.string()).default([]) }) });
    const jwt = await tokens.create({ sub: "alice", roles: ["admin"], scope: ["me", "items"] });
    const claims = await tokens.verify(jwt);
    expectTypeOf(claims.roles).toEqualTypeOf<string[]>();
    expectTypeOf(claims.sub).toEqualTypeOf<string>();
    expect(claims).toMatchObject({ sub: "alice", roles: ["admin"], scope: "me items" });
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "HS256", typ: "at+jwt" });
    // A schema default fills in a claim the token does not carry.
    expect((await tokens.verify(await tokens.create({ sub: "bob" }))).roles).toEqual([]);
  });

  it("defaults to a 15-minute lifetime, overridable per token", async () => {
    const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });
    const short = decodeJwt(await tokens.create({ sub: "a" }));
    expect(short.exp! - short.iat!).toBe(15 * 60);
    const custom = decodeJwt(await tokens.create({ sub: "a" }, { expiresIn: 90 }));
    expect(custom.exp! - custom.iat!).toBe(90);
  });

  it.each([
    ["RS256 (PEM strings)", () => new AccessTokens({ algorithm: "RS256", privateKey: rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string })],
    ["PS256 (KeyObject)", () => new AccessTokens({ algorithm: "PS256", privateKey: rsa.privateKey })],
    ["EdDSA (KeyObject)", () => new AccessTokens({ algorithm: "EdDSA", privateKey: ed.privateKey })],
    ["ES256 (JWK)", () => new AccessTokens({ algorithm: "ES256", privateKey: ec.privateKey.export({ format: "jwk" }) })],
  ])("%s: signs with the private key and verifies with the derived public key", async (_name, make) => {
    const tokens = make();
    const claims = await tokens.verify(await tokens.create({ sub: "alice", tenant: "acme" }));
    expect(claims).toMatchObject({ sub: "alice", tenant: "acme" });
  });

  it("a verify-only instance (public key) checks tokens from the issuer but cannot issue", async () => {
    const issuer = new AccessTokens({ algorithm: "EdDSA", privateKey: ed.privateKey });
    const verifier = new AccessTokens({ algorithm: "EdDSA", publicKey: ed.publicKey.export({ type: "spki", format: "pem" }) as string });
    expect((await verifier.verify(await issuer.create({ sub: "svc" }))).sub).toBe("svc");
    await expect(verifier.create({ sub: "x" })).rejects.toThrow(/only a public key/);
  });

  it("gives every token its own jti", async () => {
    const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });
    const a = decodeJwt(await tokens.create({ sub: "a" }));
    const b = decodeJwt(await tokens.create({ sub: "a" }));
    expect(a.jti).not.toBe(b.jti);
  });

  it("refuses claims it sets itself, and an empty sub", async () => {
    const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });
    await expect(tokens.create({ sub: "a", exp: 1 })).rejects.toThrow("`exp` is set from the options");
    await expect(tokens.create({ sub: "a", aud: "x" })).rejects.toThrow("`aud`");
    await expect(tokens.create({ sub: "" })).rejects.toThrow("`sub`");
  });
});

describe("AccessTokens refuses untrustworthy tokens", () => {
  const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });

  it("expired, with a clock-skew tolerance", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 15 * 60_000 - 10_000 });
    const jwt = await tokens.create({ sub: "alice" });
    vi.useRealTimers();
    const error = await failure(tokens.verify(jwt));
    expect([error.code, error.claim, error.message]).toEqual(["expired", "exp", "The token has expired"]);
    const lenient = new AccessTokens({ algorithm: "HS256", secret: SECRET, clockTolerance: "30s" });
    expect((await lenient.verify(jwt)).sub).toBe("alice");
  });

  it("not valid yet (nbf in the future), with a clock-skew tolerance", async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setNotBefore(now + 20).setExpirationTime(now + 600).sign(new TextEncoder().encode(SECRET));
    expect(await code(tokens.verify(jwt))).toBe("not_yet_valid");
    expect((await new AccessTokens({ algorithm: "HS256", secret: SECRET, clockTolerance: 60 }).verify(jwt)).sub).toBe("a");
  });

  it("tampered payload or signature", async () => {
    const [header, , signature] = (await tokens.create({ sub: "alice", roles: ["user"] })).split(".");
    const forged = `${header}.${b64({ sub: "alice", roles: ["admin"], exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
    expect(await code(tokens.verify(forged))).toBe("signature_invalid");
    const jwt = await tokens.create({ sub: "alice" });
    const flipped = jwt.slice(0, -2) + (jwt.at(-2) === "A" ? "B" : "A") + jwt.at(-1);
    expect(await code(tokens.verify(flipped))).toBe("signature_invalid");
  });

  it("signed with another secret", async () => {
    const other = new AccessTokens({ algorithm: "HS256", secret: "another-secret-0123456789abcdefghij" });
    expect(await code(tokens.verify(await other.create({ sub: "a" })))).toBe("signature_invalid");
  });

  it("another algorithm than the pinned one, even with the same secret", async () => {
    const hs512 = await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS512", typ: "at+jwt" }).setExpirationTime("5m").sign(new TextEncoder().encode(SECRET.repeat(2)));
    expect(await code(tokens.verify(hs512))).toBe("algorithm_not_allowed");
  });

  it('alg "none" (an unsecured JWT)', async () => {
    const unsecured = `${b64({ alg: "none", typ: "at+jwt" })}.${b64({ sub: "admin", exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expect(await code(tokens.verify(unsecured))).toBe("algorithm_not_allowed");
  });

  it("HS256 signed with the RSA public key, sent to an RS256 verifier (algorithm confusion)", async () => {
    const verifier = new AccessTokens({ algorithm: "RS256", publicKey: rsa.publicKey });
    const pem = rsa.publicKey.export({ type: "spki", format: "pem" }) as string;
    const confused = await new SignJWT({ sub: "admin" }).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setExpirationTime("5m").sign(new TextEncoder().encode(pem));
    expect(await code(verifier.verify(confused))).toBe("algorithm_not_allowed");
  });

  it("wrong issuer or audience when they are configured", async () => {
    const strict = new AccessTokens({ algorithm: "HS256", secret: SECRET, issuer: "https://auth.example", audience: "orders-api" });
    const wrongIss = new AccessTokens({ algorithm: "HS256", secret: SECRET, issuer: "https://evil.example", audience: "orders-api" });
    const wrongAud = new AccessTokens({ algorithm: "HS256", secret: SECRET, issuer: "https://auth.example", audience: "billing-api" });
    expect((await strict.verify(await strict.create({ sub: "a" }))).aud).toBe("orders-api");
    const iss = await failure(strict.verify(await wrongIss.create({ sub: "a" })));
    expect([iss.code, iss.claim]).toEqual(["claim_invalid", "iss"]);
    const aud = await failure(strict.verify(await wrongAud.create({ sub: "a" })));
    expect([aud.code, aud.claim]).toEqual(["claim_invalid", "aud"]);
    // A token without iss/aud is refused too.
    const missing = await failure(strict.verify(await tokens.create({ sub: "a" })));
    expect(missing.code).toBe("claim_invalid");
  });

  it("another token type (typ), unless the check is turned off", async () => {
    const idToken = await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setExpirationTime("5m").sign(new TextEncoder().encode(SECRET));
    const error = await failure(tokens.verify(idToken));
    expect([error.code, error.claim]).toEqual(["claim_invalid", "typ"]);
    expect((await new AccessTokens({ algorithm: "HS256", secret: SECRET, type: null }).verify(idToken)).sub).toBe("a");
  });

  it("malformed compact serializations and headers, with HMAC checked without jose", async () => {
    const key = new TextEncoder().encode(SECRET);
    const good = await tokens.create({ sub: "a" });
    const [h, p, sig] = good.split(".");
    // Signed by hand: jose refuses to sign some of these headers.
    const { createHmac } = await import("node:crypto");
    const sign = async (header: object, payload: object) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
    };
    const exp = Math.floor(Date.now() / 1000) + 600;
    for (const bad of [`${h}.${p}`, `${good}.x`, `${h}.${p}.${sig}=`, `${h}.${p}.${sig!.slice(0, -1)}+`, `${h}.${p}!.${sig}`, `.${p}.${sig}`, "", "a.b.c"]) {
      expect([bad, await code(tokens.verify(bad))]).toEqual([bad, "malformed"]);
    }
    // A payload that is not a JSON object, a critical extension we do not implement, an unencoded payload.
    const arrayPayload = `${h}.${Buffer.from("[1]").toString("base64url")}`;
    const mac = createHmac("sha256", SECRET).update(arrayPayload).digest("base64url");
    expect(await code(tokens.verify(`${arrayPayload}.${mac}`))).toBe("malformed");
    expect(await code(tokens.verify(await sign({ alg: "HS256", typ: "at+jwt", crit: ["exp"] }, { sub: "a", exp })))).toBe("malformed");
    // typ compares as a media type: case-insensitive, "application/" optional.
    expect((await tokens.verify(await sign({ alg: "HS256", typ: "Application/AT+JWT" }, { sub: "a", exp }))).sub).toBe("a");
    // Registered claims of the wrong type.
    const badExp = await failure(tokens.verify(await sign({ alg: "HS256", typ: "at+jwt" }, { sub: "a", exp: "tomorrow" })));
    expect([badExp.code, badExp.claim]).toEqual(["claim_invalid", "exp"]);
    const badNbf = await failure(tokens.verify(await sign({ alg: "HS256", typ: "at+jwt" }, { sub: "a", exp, nbf: "now" })));
    expect([badNbf.code, badNbf.claim]).toEqual(["claim_invalid", "nbf"]);
    const badSub = await failure(tokens.verify(await sign({ alg: "HS256", typ: "at+jwt" }, { sub: 42, exp })));
    expect([badSub.code, badSub.claim]).toEqual(["claim_invalid", "sub"]);
  });

  it("accepts a token whose audience list names one of the accepted audiences", async () => {
    const many = new AccessTokens({ algorithm: "HS256", secret: SECRET, audience: ["orders-api", "billing-api"] });
    const billing = new AccessTokens({ algorithm: "HS256", secret: SECRET, audience: ["billing-api", "reports"] });
    expect((await many.verify(await billing.create({ sub: "a" }))).sub).toBe("a");
    const elsewhere = new AccessTokens({ algorithm: "HS256", secret: SECRET, audience: "reports" });
    expect((await failure(many.verify(await elsewhere.create({ sub: "a" })))).claim).toBe("aud");
  });

  it("without sub or exp", async () => {
    const key = new TextEncoder().encode(SECRET);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setExpirationTime("5m").sign(key);
    const noExp = await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(key);
    expect((await failure(tokens.verify(noSub))).claim).toBe("sub");
    expect((await failure(tokens.verify(noExp))).claim).toBe("exp");
  });

  it("custom claims that do not match the schema", async () => {
    const typed = new AccessTokens({ algorithm: "HS256", secret: SECRET, claims: z.object({ roles: z.array(z.string()) }) });
    const error = await failure(typed.verify(await tokens.create({ sub: "a", roles: "admin" })));
    expect([error.code, error.claim, error.message]).toEqual(["claim_invalid", "roles", 'The token\'s "roles" claim is invalid']);
  });

  it.each(["", "abc", "a.b", "a.b.c", "eyJ.eyJ.sig"])("malformed: %j", async (jwt) => {
    expect(await code(tokens.verify(jwt))).toBe("malformed");
  });
});

describe("AccessTokens.authenticate", () => {
  const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET });

  it("turns an untrusted token into a 401 invalid_token that never contains the token", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3600_000 });
    const expired = await tokens.create({ sub: "alice" });
    vi.useRealTimers();
    const error = await tokens.authenticate(expired).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPException);
    const exc = error as HTTPException;
    expect(exc.status).toBe(401);
    expect(exc.detail).toBe("Could not validate credentials");
    expect(exc.headers).toEqual({ "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The token has expired"' });
    expect(JSON.stringify([exc.message, exc.detail, exc.headers])).not.toContain(expired.split(".")[2]);
  });

  it("checks scopes: 403 when one is missing", async () => {
    const jwt = await tokens.create({ sub: "alice", scope: "me" });
    expect((await tokens.authenticate(jwt, { scopes: ["me"] })).sub).toBe("alice");
    const error = (await tokens.authenticate(jwt, { scopes: ["me", "admin"] }).catch((e: unknown) => e)) as HTTPException;
    expect(error.status).toBe(403);
    expect(error.headers).toEqual({ "WWW-Authenticate": 'Bearer scope="me admin", error="insufficient_scope"' });
  });

  it("takes a custom 401 detail", async () => {
    const error = (await tokens.authenticate("nope", { detail: "Invalid token" }).catch((e: unknown) => e)) as HTTPException;
    expect(error.detail).toBe("Invalid token");
  });
});
