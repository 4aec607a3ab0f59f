import type { DependencyScope } from "./depends.ts";

type AnyGenerator = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;

interface Entry {
  readonly gen: AnyGenerator;
  readonly scope: DependencyScope;
  readonly name: string;
}

/**
 * The teardown stack of one request's generator dependencies. Teardown runs in reverse order of setup, exactly
 * once per generator. With an error, the error is thrown into each generator at its `yield` (so it can roll back
 * or throw a different error, which then replaces it for the generators further out); a teardown cannot swallow
 * the error — the request still fails with it, as FastAPI requires dependencies with `yield` to re-raise.
 */
export class ExitStack {
  #entries: Entry[] = [];

  /** Registers a generator that has yielded its value. */
  push(gen: AnyGenerator, scope: DependencyScope, name: string): void {
    this.#entries.push({ gen, scope, name });
  }

  /** Number of generators still open. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Closes the generators of one scope normally (no error), innermost first. If a teardown throws, the remaining
   * ones of every scope are unwound with that error and the result rejects with it. Synchronous generators are
   * closed synchronously: the result is a promise only once some teardown needs waiting for (or fails).
   */
  close(scope: DependencyScope): void | Promise<void> {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      if (entry.scope !== scope) continue;
      this.#entries.splice(i, 1);
      let step: IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
      try {
        step = entry.gen.next();
      } catch (error) {
        return this.#fail(error);
      }
      if (step instanceof Promise || !step.done) return this.#closeAfter(entry, step, scope);
    }
  }

  // The rest of `close` once a teardown returned a promise (or yielded again, which is an error).
  async #closeAfter(entry: Entry, pending: IteratorResult<unknown> | Promise<IteratorResult<unknown>>, scope: DependencyScope): Promise<void> {
    try {
      const step = await pending;
      if (!step.done) {
        await entry.gen.return(undefined);
        throw new Error(`Dependency ${entry.name} yielded more than once; a dependency generator must yield exactly one value.`);
      }
    } catch (error) {
      throw await this.unwind(error);
    }
    await this.close(scope);
  }

  async #fail(error: unknown): Promise<never> {
    throw await this.unwind(error);
  }

  /** Throws `error` into every open generator, innermost first; returns the error that comes out. */
  async unwind(error: unknown): Promise<unknown> {
    let current = error;
    while (this.#entries.length > 0) {
      const entry = this.#entries.pop()!;
      try {
        const step = await entry.gen.throw(current);
        if (!step.done) await entry.gen.return(undefined);
      } catch (replaced) {
        current = replaced;
      }
    }
    return current;
  }
}
