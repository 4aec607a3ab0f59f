import type { Context } from "../context.ts";
import { HTTPException } from "../errors/http-exception.ts";
import { RequestValidationError, type ErrorDetail } from "../errors/validation-error.ts";
import { isJsonContentType, parseJson } from "../http/body.ts";
import type { Request } from "../http/request.ts";
import type { ExitStack } from "./exit-stack.ts";
import type { AppScope } from "../lifespan.ts";
import { extractParam, type BodySource, type Extraction } from "./extract.ts";
import type { Binding, DependencyStep, RoutePlan } from "./plan.ts";

/** How a JSON route treats a body sent with another content type. */
export type ContentTypePolicy = "422" | "415";

/**
 * Walks a route plan for one request: reads the body if the plan needs it, then runs each dependency in plan
 * order — validating its parameters first — and finally validates the handler's own parameters. Every problem is
 * collected into one {@link RequestValidationError}; once a problem is found no further dependency is called
 * (their parameters are still validated, so the 422 lists everything). Generator dependencies are entered and
 * registered on `exits` for teardown; `scope: "app"` values come from `appScope`, made once per app. Returns the
 * handler's argument object.
 */
export function solve(
  plan: RoutePlan,
  ctx: Context,
  exits: ExitStack,
  contentType: ContentTypePolicy,
  appScope?: AppScope,
): Record<string, unknown> | Promise<Record<string, unknown>> {
  const state: Extraction = { errors: undefined, pending: undefined };
  if (plan.body === "none") return start(plan, ctx, exits, appScope, state, NO_BODY);
  return readBodySource(plan, ctx.request, state, contentType).then((body) => start(plan, ctx, exits, appScope, state, body));
}

// One request's walk through a plan. The walk is synchronous until something has to be waited for (a body, an
// async validator, an async dependency or generator); from there it continues in a promise. A route whose
// dependencies are all synchronous is thus solved without making a single promise.
interface Walk {
  readonly plan: RoutePlan;
  readonly ctx: Context;
  readonly exits: ExitStack;
  readonly appScope: AppScope | undefined;
  readonly state: Extraction;
  readonly ownState: Extraction;
  readonly body: BodySource;
  readonly values: unknown[];
  own: Record<string, unknown> | undefined;
}

type Args = Record<string, unknown>;

function start(plan: RoutePlan, ctx: Context, exits: ExitStack, appScope: AppScope | undefined, state: Extraction, body: BodySource): Args | Promise<Args> {
  const walk: Walk = {
    plan,
    ctx,
    exits,
    appScope,
    state,
    ownState: { errors: undefined, pending: undefined },
    body,
    values: plan.slotCount === 0 ? EMPTY : new Array(plan.slotCount),
    own: undefined,
  };
  // The handler's own parameters are validated before any dependency runs, so an invalid request never opens a
  // transaction or takes a connection it would only roll back. Their problems are listed after the dependencies',
  // as FastAPI orders them.
  if (plan.steps.length > 0) {
    walk.own = bindArgs(plan.root, EMPTY, ctx.request, body, walk.ownState, true);
    if (walk.ownState.pending) return settlePending(walk.ownState).then(() => steps(walk, 0));
  }
  return steps(walk, 0);
}

function steps(walk: Walk, from: number): Args | Promise<Args> {
  const list = walk.plan.steps;
  for (let i = from; i < list.length; i++) {
    const step = list[i]!;
    const args = bindArgs(step.args, walk.values, walk.ctx.request, walk.body, walk.state);
    if (walk.state.pending) {
      return settlePending(walk.state).then(() => {
        const called = callStep(walk, step, args);
        return called === undefined ? steps(walk, i + 1) : called.then(() => steps(walk, i + 1));
      });
    }
    const called = callStep(walk, step, args);
    if (called !== undefined) return called.then(() => steps(walk, i + 1));
  }
  return finish(walk);
}

// Calls one dependency (unless a problem was found already) and stores its value; a promise only when it is async.
function callStep(walk: Walk, step: DependencyStep, args: Args): void | Promise<void> {
  if (walk.state.errors || walk.ownState.errors) return;
  const values = walk.values;
  if (step.scope === "app") {
    if (walk.appScope === undefined) throw new Error(`Dependency ${step.dependency.name} has scope "app" but is used outside an app (${step.trail}).`);
    const resolved: unknown = walk.appScope.resolve(step.dependency, args);
    if (resolved instanceof Promise) return resolved.then((value) => void (values[step.slot] = value));
    values[step.slot] = resolved;
    return;
  }
  const value = step.dependency.call(args, walk.ctx);
  if (isGenerator(value)) {
    // A sync generator's first step needs no waiting.
    const first = value.next();
    if (first instanceof Promise) return first.then((r) => entered(walk, step, value, r));
    entered(walk, step, value, first);
    return;
  }
  if (value instanceof Promise) return value.then((v) => void (values[step.slot] = v));
  values[step.slot] = value;
}

function entered(walk: Walk, step: DependencyStep, gen: Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>, first: IteratorResult<unknown>): void {
  if (first.done) throw new Error(`Dependency ${step.dependency.name} finished without yielding a value (${step.trail}).`);
  walk.exits.push(gen, step.scope, step.dependency.name);
  walk.values[step.slot] = first.value;
}

function finish(walk: Walk): Args | Promise<Args> {
  const { plan, state } = walk;
  const args = walk.own === undefined ? bindArgs(plan.root, walk.values, walk.ctx.request, walk.body, state) : bindSlots(plan.root, walk.values, walk.own);
  if (state.pending) return settlePending(state).then(() => checked(walk, args));
  return checked(walk, args);
}

function checked(walk: Walk, args: Args): Args {
  const state = walk.state;
  if (walk.ownState.errors) (state.errors ??= []).push(...walk.ownState.errors);
  if (state.errors) throw new RequestValidationError(bodyLast(state.errors), walk.body.json);
  return args;
}

const EMPTY: unknown[] = [];
const NO_BODY: BodySource = {};

/**
 * The fast path of {@link solve} for a plan with neither dependencies nor a body (most GET routes): everything is
 * synchronous, so no promise is made. Returns `undefined` when a validator turned out to be async — the caller
 * then runs {@link solve}.
 */
export function solveSimple(plan: RoutePlan, request: Request): Record<string, unknown> | undefined {
  return solveOwn(plan, request, NO_BODY, { errors: undefined, pending: undefined });
}

/**
 * The fast path of {@link solve} for a plan with a JSON body and no dependencies, once the body bytes are read:
 * synchronous, so the route makes one promise (the body's) instead of one per step. Returns `undefined` when a
 * validator turned out to be async — the caller then runs {@link solve}.
 */
export function solveJsonBody(plan: RoutePlan, request: Request, bytes: Buffer, policy: ContentTypePolicy): Record<string, unknown> | undefined {
  const state: Extraction = { errors: undefined, pending: undefined };
  return solveOwn(plan, request, jsonBodySource(bytes, request, state, policy), state);
}

// The handler's own parameters of a plan without dependencies, read synchronously.
function solveOwn(plan: RoutePlan, request: Request, body: BodySource, state: Extraction): Record<string, unknown> | undefined {
  const args = bindArgs(plan.root, EMPTY, request, body, state);
  if (state.pending) return undefined;
  if (state.errors) throw new RequestValidationError(bodyLast(state.errors), body.json);
  return args;
}

// FastAPI validates the body after every dependency's path, query, header and cookie parameters, so its problems
// come last in the 422.
function bodyLast(errors: ErrorDetail[]): ErrorDetail[] {
  const body = errors.filter((e) => e.loc[0] === "body");
  return body.length === 0 || body.length === errors.length ? errors : errors.filter((e) => e.loc[0] !== "body").concat(body);
}

// With `paramsOnly`, dependency slots are left out (they are filled later by bindSlots).
function bindArgs(
  bindings: readonly Binding[],
  values: unknown[],
  request: Request,
  body: BodySource,
  state: Extraction,
  paramsOnly = false,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.param !== undefined) extractParam(b.param, request, body, args, b.key, state);
    else if (paramsOnly) continue;
    else if (b.slot !== undefined) args[b.key] = values[b.slot];
    else args[b.key] = b.scopes;
  }
  return args;
}

// Completes an argument object made by bindArgs(…, paramsOnly) with the dependency values.
function bindSlots(bindings: readonly Binding[], values: unknown[], args: Record<string, unknown>): Record<string, unknown> {
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.slot !== undefined) args[b.key] = values[b.slot];
    else if (b.scopes !== undefined) args[b.key] = b.scopes;
  }
  return args;
}

async function settlePending(state: Extraction): Promise<void> {
  const pending = state.pending!;
  state.pending = undefined;
  await Promise.all(pending);
}

async function readBodySource(plan: RoutePlan, request: Request, state: Extraction, policy: ContentTypePolicy): Promise<BodySource> {
  if (plan.body === "form") return { form: await request.form() };
  return jsonBodySource(await request.body(), request, state, policy);
}

function jsonBodySource(bytes: Buffer, request: Request, state: Extraction, policy: ContentTypePolicy): BodySource {
  if (bytes.length === 0) return { json: undefined };
  const contentType = request.header("content-type");
  // FastAPI reads a body without Content-Type as JSON; any other declared type is refused.
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    const msg = `Expected a JSON body (Content-Type: application/json), got '${contentType}'`;
    if (policy === "415") throw new HTTPException(415, msg);
    (state.errors ??= []).push({ type: "content_type", loc: ["body"], msg, input: null, ctx: { expected: "application/json", got: contentType } });
    return { failed: true };
  }
  const parsed = parseJson(bytes.toString("utf8"));
  if (parsed.ok) return { json: parsed.value };
  const detail: ErrorDetail = {
    type: "json_invalid",
    loc: parsed.position === undefined ? ["body"] : ["body", parsed.position],
    msg: "JSON decode error",
    input: {},
    ctx: { error: parsed.message },
  };
  (state.errors ??= []).push(detail);
  return { failed: true };
}

function isGenerator(v: unknown): v is Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Generator).next === "function" &&
    typeof (v as Generator).throw === "function" &&
    (Symbol.iterator in v || Symbol.asyncIterator in v)
  );
}
