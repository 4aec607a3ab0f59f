/**
 * Uploaded files: {@link UploadFile} (what a handler receives for a `File()` parameter) and the
 * {@link SpooledStorage} behind it.
 *
 * Like Starlette's `SpooledTemporaryFile`, small uploads stay in memory and large ones roll over to a temp file,
 * so a 1 GB upload costs one threshold's worth of RAM, not 1 GB. The content is never held twice: when the
 * spool rolls over, the buffered chunks are written out and dropped.
 */
import { nullObject } from "../null-object.ts";
import { randomBytes } from "node:crypto";
import { createReadStream, unlinkSync } from "node:fs";
import { copyFile, open, readFile, unlink, writeFile, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

/** Default number of bytes kept in memory before an upload is written to a temp file (1 MiB). */
export const DEFAULT_SPOOL_THRESHOLD = 1024 * 1024;

// Temp files still on disk. If the process exits before `close()` runs (crash, `process.exit`), the exit hook
// removes them, so an abandoned request cannot leave uploads behind in the shared temp directory.
const liveTempFiles = new Set<string>();
let exitHookInstalled = false;
function trackTempFile(path: string): void {
  liveTempFiles.add(path);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const p of liveTempFiles) {
      try {
        unlinkSync(p);
      } catch {
        // Already gone: nothing to do.
      }
    }
  });
}

/** `FileHandle.write` may write fewer bytes than asked; loop so no data is silently lost. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Append-then-read byte storage that keeps up to `threshold` bytes in memory and spills to a temp file beyond
 * that. The multipart parser writes to it; {@link UploadFile} reads from it.
 *
 * Writes are serialised on an internal queue, so callers may fire them without awaiting (awaiting is how the
 * parser applies back-pressure, though). Reads are meant for after {@link end}.
 */
export class SpooledStorage {
  readonly #threshold: number;
  #chunks: Buffer[] = [];
  #memory: Buffer | undefined;
  #size = 0;
  #path: string | undefined;
  #handle: FileHandle | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;

  /** @param threshold bytes kept in memory before rolling over to disk (default 1 MiB). */
  constructor(threshold: number = DEFAULT_SPOOL_THRESHOLD) {
    this.#threshold = threshold;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  /** True once the content lives in a temp file rather than in memory. */
  get onDisk(): boolean {
    return this.#path !== undefined;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Append `chunk`; resolves when it is stored (in memory or on disk). */
  write(chunk: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("SpooledStorage is closed"));
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#size += buf.length;
    const op = this.#queue.then(() => this.#store(buf));
    // Keep the queue alive after a failure so `close()` can still run; the failure is reported via `op`.
    this.#queue = op.catch(() => {});
    return op;
  }

  async #store(buf: Buffer): Promise<void> {
    if (this.#closed) return;
    if (this.#path === undefined) {
      // `#size` already counts this chunk, so this compares the would-be memory footprint with the threshold.
      if (this.#size <= this.#threshold) {
        this.#chunks.push(buf);
        return;
      }
      await this.#rollOver();
    }
    await writeAll(this.#handle!, buf);
  }

  async #rollOver(): Promise<void> {
    // A random name plus the exclusive flag (`wx`) means we never open a file someone planted; 0o600 keeps other
    // local users from reading the upload. `tmpdir()` is read now, not at import, so TMPDIR changes apply.
    const path = join(tmpdir(), `typefast-upload-${randomBytes(16).toString("hex")}`);
    const handle = await open(path, "wx", 0o600);
    this.#path = path;
    this.#handle = handle;
    trackTempFile(path);
    const chunks = this.#chunks;
    this.#chunks = [];
    for (const c of chunks) await writeAll(handle, c);
  }

  /** Mark the content complete: releases the file descriptor, or joins memory chunks into one buffer. */
  end(): Promise<void> {
    const op = this.#queue.then(async () => {
      if (this.#closed) return;
      if (this.#handle) {
        const h = this.#handle;
        this.#handle = undefined;
        await h.close();
      } else if (this.#memory === undefined) {
        // Joining drops the chunk array, so the content is still held only once.
        this.#memory = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks, this.#size);
        this.#chunks = [];
      }
    });
    this.#queue = op.catch(() => {});
    return op;
  }

  #memoryView(): Buffer {
    return this.#memory ?? Buffer.concat(this.#chunks, this.#size);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The uploaded file has been closed");
  }

  /** The whole content as a fresh Buffer (a copy, so callers may mutate it). */
  async read(): Promise<Buffer> {
    this.#assertOpen();
    await this.#queue;
    if (this.#path !== undefined) return readFile(this.#path);
    return Buffer.from(this.#memoryView());
  }

  /** A new stream over the content, from the beginning. */
  createReadStream(): Readable {
    this.#assertOpen();
    if (this.#path !== undefined) return createReadStream(this.#path);
    // Wrapped in an array: `Readable.from(buffer)` would iterate byte by byte.
    return Readable.from([this.#memoryView()], { objectMode: false });
  }

  /** Copy the content to `path` (a kernel-level copy when spooled to disk). */
  async saveTo(path: string): Promise<void> {
    this.#assertOpen();
    await this.#queue;
    if (this.#path !== undefined) await copyFile(this.#path, path);
    else await writeFile(path, this.#memoryView());
  }

  /** Free the memory / delete the temp file. Idempotent; waits for in-flight writes first. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#closing = this.#queue.then(async () => {
      this.#chunks = [];
      this.#memory = undefined;
      const handle = this.#handle;
      this.#handle = undefined;
      if (handle) await handle.close().catch(() => {});
      const path = this.#path;
      if (path !== undefined) {
        liveTempFiles.delete(path);
        await unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
        });
      }
    });
    return this.#closing;
  }
}

/** Metadata for constructing an {@link UploadFile}. */
export interface UploadFileInit {
  /** Client-supplied file name (already reduced to its base name by the parser). */
  filename: string;
  /** The part's media type; defaults to `application/octet-stream`. */
  contentType?: string;
  /** The part's headers, lower-case names. */
  headers?: Record<string, string>;
}

/**
 * An uploaded file, as a handler receives it for a `File()` parameter (FastAPI/Starlette's `UploadFile`).
 *
 * The content is re-readable: {@link bytes}, {@link text} and {@link stream} each start from the beginning.
 * The framework closes every upload after the response; call {@link close} yourself to free it earlier.
 *
 * @example
 * app.post("/avatar", { file: File() }, async ({ file }) => {
 *   await file.saveTo(`/srv/avatars/${crypto.randomUUID()}`);
 *   return { name: file.filename, bytes: file.size };
 * });
 */
export class UploadFile {
  /** Client-supplied file name, without any directory part. May be any string: never use it as a path as is. */
  readonly filename: string;
  /** Media type declared for the part, e.g. `image/png`. */
  readonly contentType: string;
  /** The part's headers, lower-case names (null-prototype object). */
  readonly headers: Record<string, string>;
  readonly #storage: SpooledStorage;

  /** @param storage where the bytes live; the parser keeps writing to it until the form is complete. */
  constructor(init: UploadFileInit, storage: SpooledStorage) {
    this.filename = init.filename;
    this.contentType = init.contentType ?? "application/octet-stream";
    this.headers = Object.assign(nullObject<string>(), init.headers);
    this.#storage = storage;
  }

  /** Build an in-memory upload (handy in tests and for the test client). */
  static async fromBuffer(data: Uint8Array | string, init: UploadFileInit): Promise<UploadFile> {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const storage = new SpooledStorage(Math.max(DEFAULT_SPOOL_THRESHOLD, buf.length));
    await storage.write(buf);
    await storage.end();
    return new UploadFile(init, storage);
  }

  /** Size of the content in bytes. */
  get size(): number {
    return this.#storage.size;
  }

  /** True when the content was spooled to a temp file (it exceeded the spool threshold). */
  get onDisk(): boolean {
    return this.#storage.onDisk;
  }

  /** True after {@link close}; reading a closed upload throws. */
  get closed(): boolean {
    return this.#storage.closed;
  }

  /** The whole content. */
  bytes(): Promise<Buffer> {
    return this.#storage.read();
  }

  /** The whole content decoded as text (UTF-8 unless told otherwise). */
  async text(encoding: BufferEncoding = "utf8"): Promise<string> {
    return (await this.#storage.read()).toString(encoding);
  }

  /** A new readable stream over the content; every call starts from the beginning. */
  stream(): Readable {
    return this.#storage.createReadStream();
  }

  /** Write the content to `path` (overwriting it). */
  saveTo(path: string): Promise<void> {
    return this.#storage.saveTo(path);
  }

  /** Free the memory or delete the temp file. Idempotent. */
  close(): Promise<void> {
    return this.#storage.close();
  }
}
