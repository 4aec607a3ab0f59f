/**
 * Forged and unacceptable JWTs sent over HTTP to routes guarded by `HTTPBearer` + `AccessTokens.authenticate`:
 * every one is refused with 401 and an RFC 6750 `invalid_token` challenge, and the answer never echoes the token.
 * Tokens are built by hand here (not with jose), so the checks do not share code with what they check.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessTokens, App, HTTPBearer, type Server } from "../../src/index.ts";
import { listen } from "./attack-helpers.ts";

const SECRET = "jwt-attack-tests-secret-of-at-least-32-bytes";
const ISSUER = "https://issuer.example";
const AUDIENCE = "orders-api";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicPem = publicKey.export({ type: "spki", format: "pem" }) as string;

const hs = new AccessTokens({ algorithm: "HS256", secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
const rs = new AccessTokens({ algorithm: "RS256", privateKey: createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" })), issuer: ISSUER, audience: AUDIENCE });

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({ sub: "alice", iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 });
const goodHeader = (alg: string) => ({ alg, typ: "at+jwt" });

/** A compact JWS signed by hand: HMAC with `key` as the secret, RSA with a private key, or no signature. */
function forge(header: object, claims: object, how: { hmac?: string | Buffer; hash?: string; rsa?: KeyObject } = {}): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let signature = "";
  if (how.hmac !== undefined) signature = createHmac(how.hash ?? "sha256", how.hmac).update(input).digest("base64url");
  if (how.rsa !== undefined) signature = sign("sha256", Buffer.from(input), how.rsa).toString("base64url");
  return `${input}.${signature}`;
}

let server: Server;
beforeAll(async () => {
  const app = new App();
  const bearer = new HTTPBearer();
  app.get("/hs", { params: { auth: bearer } }, async ({ auth }) => ({ sub: (await hs.authenticate(auth.credentials)).sub }));
  app.get("/rs", { params: { auth: bearer } }, async ({ auth }) => ({ sub: (await rs.authenticate(auth.credentials)).sub }));
  server = await listen(app);
});
afterAll(() => server.close());

async function call(path: string, token: string) {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, challenge: res.headers.get("www-authenticate") ?? "", body: await res.text() };
}

async function expectRefused(path: string, token: string) {
  const res = await call(path, token);
  expect(res.status).toBe(401);
  expect(res.challenge).toMatch(/^Bearer\b.*error="invalid_token"/);
  for (const part of token.split(".")) if (part.length >= 8) expect(res.body + res.challenge).not.toContain(part);
}

describe("JWT attacks over HTTP (HS256 verifier)", () => {
  it("accepts a token it issued (control)", async () => {
    expect(await call("/hs", await hs.create({ sub: "alice" }))).toMatchObject({ status: 200, body: '{"sub":"alice"}' });
    expect(await call("/hs", forge(goodHeader("HS256"), goodClaims(), { hmac: SECRET }))).toMatchObject({ status: 200 });
  });

  it.each([
    ["alg none, no signature", () => forge(goodHeader("none"), goodClaims())],
    ["alg None", () => forge(goodHeader("None"), goodClaims())],
    ["alg NONE with an HMAC signature anyway", () => forge(goodHeader("NONE"), goodClaims(), { hmac: SECRET })],
    ["alg none and no type", () => forge({ alg: "none" }, goodClaims())],
    ["alg missing", () => forge({ typ: "at+jwt" }, goodClaims(), { hmac: SECRET })],
    ["HS512 instead of the pinned HS256, same secret", () => forge(goodHeader("HS512"), goodClaims(), { hmac: SECRET, hash: "sha512" })],
    ["signed with another secret", () => forge(goodHeader("HS256"), goodClaims(), { hmac: `${SECRET}!` })],
    ["expired", () => forge(goodHeader("HS256"), { ...goodClaims(), exp: now() - 5 }, { hmac: SECRET })],
    ["not valid before a future nbf", () => forge(goodHeader("HS256"), { ...goodClaims(), nbf: now() + 600 }, { hmac: SECRET })],
    ["without exp", () => forge(goodHeader("HS256"), { sub: "alice", iss: ISSUER, aud: AUDIENCE }, { hmac: SECRET })],
    ["wrong audience", () => forge(goodHeader("HS256"), { ...goodClaims(), aud: "billing-api" }, { hmac: SECRET })],
    ["audience list without ours", () => forge(goodHeader("HS256"), { ...goodClaims(), aud: ["billing-api", "x"] }, { hmac: SECRET })],
    ["wrong issuer", () => forge(goodHeader("HS256"), { ...goodClaims(), iss: "https://evil.example" }, { hmac: SECRET })],
    ["no issuer", () => forge(goodHeader("HS256"), { sub: "alice", aud: AUDIENCE, exp: now() + 600 }, { hmac: SECRET })],
    ["another token type (an ID token)", () => forge({ alg: "HS256", typ: "JWT" }, goodClaims(), { hmac: SECRET })],
    ["a critical header extension", () => forge({ ...goodHeader("HS256"), crit: ["exp"] }, goodClaims(), { hmac: SECRET })],
    ["unencoded payload (b64: false)", () => forge({ ...goodHeader("HS256"), b64: false, crit: ["b64"] }, goodClaims(), { hmac: SECRET })],
    ["sub empty", () => forge(goodHeader("HS256"), { ...goodClaims(), sub: "" }, { hmac: SECRET })],
    ["sub not a string", () => forge(goodHeader("HS256"), { ...goodClaims(), sub: 42 }, { hmac: SECRET })],
  ])("refuses %s", async (_name, make) => {
    await expectRefused("/hs", make());
  });

  it("refuses a payload changed after signing, and signatures in another encoding", async () => {
    const token = forge(goodHeader("HS256"), goodClaims(), { hmac: SECRET });
    const [h, , s] = token.split(".");
    await expectRefused("/hs", `${h}.${b64url(JSON.stringify({ ...goodClaims(), sub: "admin" }))}.${s}`);
    await expectRefused("/hs", `${token}=`);
    await expectRefused("/hs", token.replace(/-/g, "+").replace(/_/g, "/") + (s!.includes("-") || s!.includes("_") ? "" : "+"));
    await expectRefused("/hs", `${token}.extra`);
    await expectRefused("/hs", `${h}..${s}`);
    await expectRefused("/hs", "a".repeat(8000));
    await expectRefused("/hs", "...");
  });
});

describe("JWT attacks over HTTP (RS256 verifier)", () => {
  it("accepts a token it issued (control)", async () => {
    expect(await call("/rs", await rs.create({ sub: "alice" }))).toMatchObject({ status: 200 });
    expect(await call("/rs", forge(goodHeader("RS256"), goodClaims(), { rsa: privateKey }))).toMatchObject({ status: 200 });
  });

  it.each([
    ["HS256 signed with the RSA public key (PEM) as the HMAC secret — algorithm confusion", () => forge(goodHeader("HS256"), goodClaims(), { hmac: publicPem })],
    ["HS256 signed with the public key's DER bytes", () => forge(goodHeader("HS256"), goodClaims(), { hmac: publicKey.export({ type: "spki", format: "der" }) })],
    ["HS256 signed with the public key as JWK text", () => forge(goodHeader("HS256"), goodClaims(), { hmac: JSON.stringify(publicKey.export({ format: "jwk" })) })],
    ["alg none", () => forge(goodHeader("none"), goodClaims())],
    ["PS256 header over an RS256 signature", () => forge(goodHeader("PS256"), goodClaims(), { rsa: privateKey })],
    ["signed by another RSA key", () => forge(goodHeader("RS256"), goodClaims(), { rsa: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey })],
    ["expired", () => forge(goodHeader("RS256"), { ...goodClaims(), exp: now() - 5 }, { rsa: privateKey })],
    ["wrong audience", () => forge(goodHeader("RS256"), { ...goodClaims(), aud: "billing-api" }, { rsa: privateKey })],
    ["wrong issuer", () => forge(goodHeader("RS256"), { ...goodClaims(), iss: "https://evil.example" }, { rsa: privateKey })],
    ["an embedded key the attacker chose (jwk header)", () => {
      const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return forge({ ...goodHeader("RS256"), jwk: attacker.publicKey.export({ format: "jwk" }) }, goodClaims(), { rsa: attacker.privateKey });
    }],
  ])("refuses %s", async (_name, make) => {
    await expectRefused("/rs", make());
  });
});
