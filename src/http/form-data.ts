/**
 * {@link FormData}: a parsed form body (urlencoded or multipart), the source of `Form()` and `File()` parameters.
 *
 * Field names come straight from the client, so nothing here ever uses them as keys of an ordinary object:
 * values live in a `Map`, and {@link FormData.toObject} builds a null-prototype object. A field called
 * `__proto__` or `constructor` is just a field.
 */
import { nullObject } from "../null-object.ts";
import { UploadFile } from "./upload-file.ts";

/** One form value: text, or an uploaded file. */
export type FormValue = string | UploadFile;

/**
 * An ordered multi-map of form fields.
 *
 * Repeated names keep every value ({@link getAll}); {@link get} returns the LAST one, which is what FastAPI does
 * for a scalar `Form()` parameter sent more than once (Starlette's `FormData.__getitem__` picks the last value).
 *
 * Not the WHATWG `FormData` global: this one also owns the uploads and must be {@link close}d (the framework does
 * it after the response is sent).
 */
export class FormData implements Iterable<[string, FormValue]> {
  // Entries in arrival order (for `entries()`), plus a name index so lookups are O(1).
  readonly #entries: Array<[string, FormValue]> = [];
  readonly #byName = new Map<string, FormValue[]>();
  #closing: Promise<void> | undefined;

  /** @param entries initial `[name, value]` pairs, in order. */
  constructor(entries?: Iterable<readonly [string, FormValue]>) {
    if (entries) for (const [name, value] of entries) this.append(name, value);
  }

  /** Add a value (used by the parsers; repeated names accumulate). */
  append(name: string, value: FormValue): void {
    this.#entries.push([name, value]);
    const list = this.#byName.get(name);
    if (list) list.push(value);
    else this.#byName.set(name, [value]);
  }

  /** The last value sent for `name`, or `undefined` when absent. */
  get(name: string): FormValue | undefined {
    const list = this.#byName.get(name);
    return list ? list[list.length - 1] : undefined;
  }

  /** Every value sent for `name`, in order (a fresh array; empty when absent). */
  getAll(name: string): FormValue[] {
    return this.#byName.get(name)?.slice() ?? [];
  }

  /** Whether `name` was sent at least once. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Distinct field names, in order of first appearance. */
  keys(): IterableIterator<string> {
    return this.#byName.keys();
  }

  /** All `[name, value]` pairs, in arrival order, repeats included. */
  entries(): IterableIterator<[string, FormValue]> {
    return this.#entries.map(([k, v]): [string, FormValue] => [k, v])[Symbol.iterator]();
  }

  /** Same as {@link entries}. */
  [Symbol.iterator](): IterableIterator<[string, FormValue]> {
    return this.entries();
  }

  /** Number of distinct field names. */
  get size(): number {
    return this.#byName.size;
  }

  /** Every uploaded file in the form, in arrival order. */
  files(): UploadFile[] {
    return this.#entries.flatMap(([, v]) => (v instanceof UploadFile ? [v] : []));
  }

  /**
   * A plain snapshot for validating a whole model from the form: a null-prototype object where a name sent once
   * maps to its value and a repeated name maps to an array of its values. (A list field sent once is therefore a
   * single value; coercing it to a one-element list is the validator's job, as in FastAPI.)
   */
  toObject(): Record<string, FormValue | FormValue[]> {
    const out = nullObject<FormValue | FormValue[]>();
    for (const [name, list] of this.#byName) out[name] = list.length === 1 ? list[0] : list.slice();
    return out;
  }

  /**
   * Close every uploaded file (frees memory, deletes temp files). Idempotent; never rejects partially: all files
   * are attempted, then the first failure, if any, is reported.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const results = await Promise.allSettled(this.files().map((f) => f.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    })();
    return this.#closing;
  }
}
