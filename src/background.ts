/** A task queued with {@link BackgroundTasks.add}. */
type Task = () => unknown;

/**
 * Work to run after the response has been sent (FastAPI's `BackgroundTasks`): in the order added, one at a time;
 * a failing task is logged and the next one still runs. Reach it as `ctx.background` in a handler or dependency.
 *
 * @example
 * app.post("/signup", { params: { user: Body(User) } }, ({ user }, { background }) => {
 *   background.add(sendWelcomeEmail, user.email);
 *   return { ok: true };
 * });
 */
export class BackgroundTasks {
  readonly #tasks: Task[] = [];

  /** Queues `fn(...args)` to run after the response. */
  add<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    this.#tasks.push(() => fn(...args));
  }

  /** Number of queued tasks. */
  get size(): number {
    return this.#tasks.length;
  }

  /** Runs the queued tasks in order; each error goes to `onError` and does not stop the rest. */
  async run(onError: (error: unknown) => void): Promise<void> {
    for (const task of this.#tasks.splice(0)) {
      try {
        await task();
      } catch (error) {
        onError(error);
      }
    }
  }
}
