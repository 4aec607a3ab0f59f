import type { ParamsSpec } from "../params/marker.ts";
import { Depends, Dependency, type DependencyFn, type Injectable, type Resolved } from "./depends.ts";

/** Anything that can be named as a dependency: a `Depends()` marker, the function, or the class instance. */
export type DependencyRef<T = unknown> =
  | Dependency<T>
  | DependencyFn<never, T | Promise<T> | Generator<T, unknown, undefined> | AsyncGenerator<T, unknown, undefined>>
  | Injectable<ParamsSpec, T | Promise<T>>;

/** The value type a dependency reference resolves to. */
export type RefValue<D> =
  D extends Dependency<infer T>
    ? T
    : D extends Injectable<ParamsSpec, infer R>
      ? Resolved<R>
      : D extends (...args: never[]) => infer R
        ? Resolved<R>
        : never;

/** Undoes one override; also usable with `using` (`Symbol.dispose`). */
export interface OverrideHandle {
  (): void;
  [Symbol.dispose](): void;
}

/**
 * `app.dependencyOverrides`: replace a dependency everywhere it is used — in tests, a fake user or an in-memory
 * database. Type-checked: the replacement must produce a value assignable to the original's.
 *
 * @example
 * const restore = app.dependencyOverrides.set(getCurrentUser, () => ({ username: "testuser" }));
 * // … requests now see the fake user …
 * restore();                              // or: using _ = app.dependencyOverrides.set(…)
 */
export class DependencyOverrides {
  readonly #map = new Map<object, Dependency>();
  #version = 0;

  /** Replaces `original` with `replacement` (a function, a `Depends()` with its own params, or an instance). */
  set<D extends DependencyRef<any>>(original: D, replacement: DependencyRef<NoInfer<RefValue<D>>>): OverrideHandle {
    const key = keyOf(original);
    const dep = toDependency(replacement);
    const previous = this.#map.get(key);
    this.#map.set(key, dep);
    this.#version++;
    let done = false;
    const restore = (() => {
      if (done) return;
      done = true;
      if (this.#map.get(key) !== dep) return;
      if (previous) this.#map.set(key, previous);
      else this.#map.delete(key);
      this.#version++;
    }) as OverrideHandle;
    restore[Symbol.dispose] = restore;
    return restore;
  }

  /** Removes the override of `original`, if any. */
  delete(original: DependencyRef<any>): boolean {
    const removed = this.#map.delete(keyOf(original));
    if (removed) this.#version++;
    return removed;
  }

  /** Removes every override (FastAPI's `dependency_overrides.clear()`). */
  clear(): void {
    if (this.#map.size > 0) this.#version++;
    this.#map.clear();
  }

  /** True when `original` is overridden. */
  has(original: DependencyRef<any>): boolean {
    return this.#map.has(keyOf(original));
  }

  /** Number of overrides in force. */
  get size(): number {
    return this.#map.size;
  }

  /** Changes whenever an override is added or removed; route plans are rebuilt when it moves. */
  get version(): number {
    return this.#version;
  }

  /** The replacement for a dependency key, if any. */
  lookup(key: object): Dependency | undefined {
    return this.#map.get(key);
  }
}

function keyOf(ref: DependencyRef<any>): object {
  return ref instanceof Dependency ? ref.key : ref;
}

function toDependency(ref: DependencyRef<any>): Dependency {
  if (ref instanceof Dependency) return ref;
  return Depends(ref as never);
}
