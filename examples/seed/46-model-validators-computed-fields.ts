/**
 * Seed example 46 — model validators and computed fields.
 *
 * Cross-field rules are model-level refinements: they run once every field is valid, and a failure is a 422
 * `value_error` at `["body"]` (pydantic's `@model_validator(mode="after")` raising `ValueError`). Computed fields
 * are derived from the validated value and written in every response, `readOnly` in the output schema and absent
 * from the input one (pydantic's `@computed_field`).
 */
import { z } from "zod";
import { App, Body, model } from "../../src/index.ts";

/** Rounds to cents, as `round(x, 2)` does for these prices. */
const cents = (x: number): number => Math.round(x * 100) / 100;

export const UserRegistration = model(
  {
    username: z.string().min(3).max(50),
    password: z.string().min(8),
    confirm_password: z.string(), // must match password
    email: z.string(),
  },
  { id: "UserRegistration" },
)
  // After-validators, in order; the first that fails is reported.
  .refine((user) => user.password === user.confirm_password, "password and confirm_password must match")
  .refine((user) => !user.password.toLowerCase().includes(user.username.toLowerCase()), "password must not contain username");

export const Product = model(
  {
    name: z.string(),
    price: z.number().gt(0),
    discount_percent: z.number().min(0).max(100).default(0),
  },
  { id: "Product" },
).computed({
  // price=100, discount=10 → discounted_price=90
  discounted_price: { schema: z.number(), get: (p) => cents(p.price * (1 - p.discount_percent / 100)) },
  on_sale: { schema: z.boolean(), get: (p) => p.discount_percent > 0 },
});

export const app = new App({ title: "Model validators and computed fields" });

// confirm_password is not echoed back: the handler picks what to return.
app.post("/register", { params: { user: Body(UserRegistration) } }, ({ user }) => ({ username: user.username, email: user.email }));

// POST {"name": "Widget", "price": 100, "discount_percent": 20}
// → {"name":"Widget","price":100,"discount_percent":20,"discounted_price":80,"on_sale":true}
app.post("/products", { params: { product: Body(Product) }, response: Product }, ({ product }) => product);
