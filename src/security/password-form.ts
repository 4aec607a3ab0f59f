import { z } from "zod";
import { Depends } from "../di/depends.ts";
import { Form } from "../params/param.ts";
import { splitScopes } from "./challenge.ts";

/** The fields of an OAuth2 password grant request (RFC 6749 §4.3.2), as the token route receives them. */
export interface OAuth2PasswordRequestForm {
  /** `"password"` when sent (required by {@link OAuth2PasswordRequestFormStrict}). */
  readonly grantType: string | undefined;
  readonly username: string;
  readonly password: string;
  /** The requested scopes: the `scope` field split on spaces (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
}

// `format: "password"` makes Swagger UI mask the inputs, as FastAPI's form does.
const secret = z.string().meta({ format: "password" });

const fields = {
  username: Form(z.string()),
  password: Form(secret),
  scope: Form(z.string().default("")),
  client_id: Form(z.string().optional()),
  client_secret: Form(secret.optional()),
};

function toForm(f: { grant_type?: string | undefined; username: string; password: string; scope: string; client_id?: string | undefined; client_secret?: string | undefined }): OAuth2PasswordRequestForm {
  return {
    grantType: f.grant_type,
    username: f.username,
    password: f.password,
    scopes: splitScopes(f.scope),
    clientId: f.client_id,
    clientSecret: f.client_secret,
  };
}

/**
 * The OAuth2 password grant's form (`application/x-www-form-urlencoded`): `username`, `password`, and optional
 * `grant_type`, `scope`, `client_id`, `client_secret`. A dependency with `Form()` parameters, so the OpenAPI
 * request body documents every field; missing fields → 422. Sending the password in a form (never in the URL) is
 * what RFC 6749 §4.3.2 prescribes.
 *
 * @example
 * app.post("/token", { params: { form: OAuth2PasswordRequestForm }, response: Token }, async ({ form }) => {
 *   const user = users.get(form.username);
 *   if (!(await verifyPassword(user?.hashedPassword, form.password))) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Bearer" });
 *   return { access_token: await tokens.create({ sub: user!.username }), token_type: "bearer" };
 * });
 */
export const OAuth2PasswordRequestForm = Depends(
  { grant_type: Form(z.string().regex(/^password$/).optional()), ...fields },
  function OAuth2PasswordRequestForm(f) {
    return toForm(f);
  },
);

/**
 * {@link OAuth2PasswordRequestForm} that also requires `grant_type=password`, as RFC 6749 §4.3.2 does ("REQUIRED.
 * Value MUST be set to 'password'"); anything else → 422.
 *
 * @example
 * app.post("/token", { params: { form: OAuth2PasswordRequestFormStrict } }, ({ form }) => login(form));
 */
export const OAuth2PasswordRequestFormStrict = Depends(
  { grant_type: Form(z.string().regex(/^password$/)), ...fields },
  function OAuth2PasswordRequestFormStrict(f) {
    return toForm(f);
  },
);
