/**
 * An app's lifetime: the lifespan generator (startup before `yield`, shutdown after it) and the values of
 * `scope: "app"` dependencies, which live exactly as long as the app.
 */
import type { Dependency } from "./di/depends.ts";
import type { RoutePlan } from "./di/plan.ts";
import { TypefastError } from "./errors/typefast-error.ts";

/**
 * An app's lifespan: code before `yield` runs at startup, after it at shutdown; the yielded value becomes the
 * typed `app.state`.
 *
 * @example
 * const lifespan: LifespanFn<{ db: Pool }> = async function* () { const db = await connect(); yield { db }; await db.close(); };
 */
export type LifespanFn<S = unknown> = (app: any) => AsyncGenerator<S, void, undefined> | Generator<S, void, undefined>;

/** Where an app is in its life. */
export type LifespanPhase = "idle" | "starting" | "running" | "stopping" | "stopped";

/** Runs a {@link LifespanFn} once each way, in order, whatever calls it first (serve, test client, CLI). */
export class Lifespan {
  #gen: AsyncGenerator<unknown, void, undefined> | Generator<unknown, void, undefined> | undefined;
  #started: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  #draining = false;
  #phase: LifespanPhase = "idle";
  state: unknown = undefined;

  constructor(
    private readonly app: unknown,
    private readonly fn: LifespanFn<unknown> | undefined,
  ) {}

  /** True when a lifespan function was given. */
  get defined(): boolean {
    return this.fn !== undefined;
  }

  get phase(): LifespanPhase {
    return this.#phase;
  }

  /** True from the moment a shutdown was announced (SIGTERM) until the end. */
  get shuttingDown(): boolean {
    return this.#draining || this.#phase === "stopping" || this.#phase === "stopped";
  }

  /** Announces the shutdown before it runs: readiness answers 503 while in-flight requests finish. */
  beginShutdown(): void {
    this.#draining = true;
  }

  startup(): Promise<void> {
    return (this.#started ??= this.#start());
  }

  shutdown(): Promise<void> {
    if (!this.#started) return Promise.resolve();
    // A failed startup has nothing to stop: what did start was torn down by the generator's own `finally`.
    return (this.#stopped ??= this.#started.then(() => this.#stop(), () => undefined));
  }

  async #start(): Promise<void> {
    this.#phase = "starting";
    if (this.fn) {
      this.#gen = this.fn(this.app);
      const first = await this.#gen.next();
      if (first.done) throw new Error("The lifespan function must yield once (startup code, then `yield`, then shutdown code).");
      this.state = first.value;
    }
    this.#phase = "running";
  }

  async #stop(): Promise<void> {
    this.#phase = "stopping";
    try {
      if (!this.#gen) return;
      const gen = this.#gen;
      this.#gen = undefined;
      const step = await gen.next();
      if (!step.done) throw new Error("The lifespan function yielded more than once; it must yield exactly once.");
    } finally {
      this.#phase = "stopped";
    }
  }
}

type AnyGenerator = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;

// An app-scoped value outlives every request, so it must not capture one: its context refuses to hand it out.
const NO_REQUEST_CONTEXT = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(
      ["request", "response", "background"].map((name) => [
        name,
        {
          get(): never {
            throw new TypefastError(
              "TF_DEPENDENCY_SCOPE",
              `An app-scoped dependency cannot use ctx.${name}: it is created once for the whole app, not for one request.`,
            );
          },
        },
      ]),
    ),
  ),
);

/**
 * The values of `Depends(fn, { scope: "app" })` dependencies of one app: each is created once — at startup when a
 * route uses it, else on first use — shared by every request, and its generator teardown runs at shutdown, in
 * reverse order of creation. Concurrent first uses share one creation; a creation that fails is retried later.
 */
export class AppScope {
  readonly #values = new Map<object, Promise<unknown>>();
  readonly #open: Array<{ gen: AnyGenerator; name: string }> = [];

  /** The dependency's value, creating it on first use. `args` holds its (app-scoped) sub-dependencies' values. */
  resolve(dependency: Dependency, args: Record<string, unknown>): Promise<unknown> {
    let value = this.#values.get(dependency.key);
    if (value === undefined) {
      value = this.#create(dependency, args);
      this.#values.set(dependency.key, value);
      value.catch(() => this.#values.delete(dependency.key));
    }
    return value;
  }

  /** Creates every app-scoped value a route plan uses, in plan order (startup: fail before taking traffic). */
  async warm(plan: RoutePlan): Promise<void> {
    const values = new Map<number, unknown>();
    for (const step of plan.steps) {
      // Only app-scoped steps, whose arguments analysis guarantees are app-scoped too (hence already warmed).
      if (step.scope !== "app") continue;
      const args: Record<string, unknown> = {};
      for (const binding of step.args) if (binding.slot !== undefined) args[binding.key] = values.get(binding.slot);
      values.set(step.slot, await this.resolve(step.dependency, args));
    }
  }

  /** Runs the teardowns (newest first) and forgets every value; each failure goes to `onError`. */
  async close(onError: (error: unknown, name: string) => void): Promise<void> {
    this.#values.clear();
    while (this.#open.length > 0) {
      const { gen, name } = this.#open.pop()!;
      try {
        const step = await gen.next();
        if (!step.done) {
          await gen.return(undefined);
          throw new Error(`Dependency ${name} yielded more than once; a dependency generator must yield exactly one value.`);
        }
      } catch (error) {
        onError(error, name);
      }
    }
  }

  async #create(dependency: Dependency, args: Record<string, unknown>): Promise<unknown> {
    const result = dependency.call(args, NO_REQUEST_CONTEXT as never);
    if (isGenerator(result)) {
      const first = await result.next();
      if (first.done) throw new Error(`Dependency ${dependency.name} finished without yielding a value.`);
      this.#open.push({ gen: result, name: dependency.name });
      return first.value;
    }
    return result;
  }
}

function isGenerator(v: unknown): v is AnyGenerator {
  return typeof v === "object" && v !== null && typeof (v as AnyGenerator).next === "function" && typeof (v as AnyGenerator).throw === "function";
}
