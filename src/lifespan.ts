/** An app's lifespan: code before `yield` runs at startup, after it at shutdown; the yielded value is `app.state`. */
export type LifespanFn = (app: any) => AsyncGenerator<unknown, void, undefined> | Generator<unknown, void, undefined>;

/** Runs a {@link LifespanFn} once each way, in order, whatever calls it first (serve, test client, CLI). */
export class Lifespan {
  #gen: AsyncGenerator<unknown, void, undefined> | Generator<unknown, void, undefined> | undefined;
  #started: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  state: unknown = undefined;

  constructor(
    private readonly app: unknown,
    private readonly fn: LifespanFn | undefined,
  ) {}

  startup(): Promise<void> {
    return (this.#started ??= this.#start());
  }

  shutdown(): Promise<void> {
    if (!this.#started) return Promise.resolve();
    return (this.#stopped ??= this.#started.then(() => this.#stop()));
  }

  async #start(): Promise<void> {
    if (!this.fn) return;
    this.#gen = this.fn(this.app);
    const first = await this.#gen.next();
    if (first.done) throw new Error("The lifespan function must yield once (startup code, then `yield`, then shutdown code).");
    this.state = first.value;
  }

  async #stop(): Promise<void> {
    if (!this.#gen) return;
    const gen = this.#gen;
    this.#gen = undefined;
    const step = await gen.next();
    if (!step.done) throw new Error("The lifespan function yielded more than once; it must yield exactly once.");
  }
}
