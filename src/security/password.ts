import { randomBytes } from "node:crypto";
import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";

/** Cost parameters of {@link PasswordHasher}. The defaults are OWASP's argon2id baseline. */
export interface PasswordHashOptions {
  /** Memory per hash in KiB (default 19456 = 19 MiB). */
  memoryCost?: number;
  /** Passes over the memory (default 2). */
  timeCost?: number;
  /** Lanes (default 1). */
  parallelism?: number;
}

// `Algorithm` is a const enum of @node-rs/argon2, which isolatedModules cannot read: 2 is Argon2id, 1 is v0x13.
const ARGON2ID = 2 as Algorithm;
const V0x13 = 1;
const DEFAULTS: Required<PasswordHashOptions> = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * Password hashing with argon2id (RFC 9106), the algorithm OWASP recommends — never a bare SHA-256, which a GPU
 * guesses billions of times a second. Hashes are PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) carrying
 * their own salt and cost, so costs can be raised later: {@link PasswordHasher.needsRehash} tells you when to
 * re-hash a user's password at their next login.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const stored = await hasher.hash("correct horse battery staple");
 * if (await hasher.verify(stored, attempt) && hasher.needsRehash(stored)) user.hash = await hasher.hash(attempt);
 */
export class PasswordHasher {
  readonly #options: Options;
  #dummy: Promise<string> | undefined;

  constructor(options: PasswordHashOptions = {}) {
    const cost = { ...DEFAULTS, ...options };
    for (const [name, value] of Object.entries(cost)) {
      if (!Number.isInteger(value) || value < 1) throw new TypeError(`PasswordHasher: \`${name}\` must be a positive integer (got ${value}).`);
    }
    // RFC 9106 §3.1: memory must be at least 8 KiB per lane.
    if (cost.memoryCost < 8 * cost.parallelism) throw new TypeError("PasswordHasher: `memoryCost` must be at least 8 × `parallelism` KiB.");
    this.#options = Object.freeze({ ...cost, algorithm: ARGON2ID, outputLen: 32 });
  }

  /** Hashes a password with a fresh random salt. @example const stored = await hasher.hash(form.password); */
  hash(password: string): Promise<string> {
    return hash(password, this.#options);
  }

  /**
   * Checks a password against a stored hash; the final comparison inside argon2 is constant-time. Pass
   * `undefined` when the user does not exist: a dummy hash is verified instead, so "no such user" takes as long as
   * "wrong password" and response times do not reveal which usernames exist. Throws a `TypeError` (without the
   * hash or the password in it) when the stored value is not an argon2 hash: that is a data bug, not a failed login.
   *
   * @example if (!(await hasher.verify(users.get(form.username)?.hash, form.password))) throw new HTTPException(401, "Incorrect username or password");
   */
  async verify(stored: string | undefined | null, password: string): Promise<boolean> {
    if (stored === undefined || stored === null) {
      await verify(await this.#dummyHash(), password).catch(() => false);
      return false;
    }
    if (!stored.startsWith("$argon2")) throw new TypeError("PasswordHasher.verify: the stored value is not an argon2 PHC hash.");
    try {
      return await verify(stored, password);
    } catch {
      throw new TypeError("PasswordHasher.verify: the stored value is not a valid argon2 PHC hash.");
    }
  }

  /**
   * True when a stored hash was made with other settings than this hasher's (another variant, version or cost), or
   * is not an argon2 hash at all: re-hash the password the next time the user logs in.
   * @example if (hasher.needsRehash(user.hash)) user.hash = await hasher.hash(password);
   */
  needsRehash(stored: string): boolean {
    let parsed: ReturnType<typeof parseOptions>;
    try {
      parsed = parseOptions(stored);
    } catch {
      return true;
    }
    const o = this.#options;
    return (
      (parsed.algorithm as number) !== ARGON2ID ||
      (parsed.version as number) !== V0x13 ||
      parsed.memoryCost !== o.memoryCost ||
      parsed.timeCost !== o.timeCost ||
      parsed.parallelism !== o.parallelism ||
      parsed.outputLen < 32 ||
      parsed.saltLen < 16
    );
  }

  #dummyHash(): Promise<string> {
    return (this.#dummy ??= hash(randomBytes(32), this.#options));
  }
}

const defaultHasher = new PasswordHasher();

/**
 * Hashes a password with argon2id and the default (OWASP) cost.
 * @example const hashed = await hashPassword("secret");
 */
export function hashPassword(password: string): Promise<string> {
  return defaultHasher.hash(password);
}

/**
 * Verifies a password against an argon2 hash; pass `undefined` for an unknown user (see {@link PasswordHasher.verify}).
 * @example const ok = await verifyPassword(user?.hashedPassword, form.password);
 */
export function verifyPassword(stored: string | undefined | null, password: string): Promise<boolean> {
  return defaultHasher.verify(stored, password);
}

/**
 * Whether a stored hash should be re-made with the default cost (see {@link PasswordHasher.needsRehash}).
 * @example if (passwordNeedsRehash(user.hashedPassword)) user.hashedPassword = await hashPassword(password);
 */
export function passwordNeedsRehash(stored: string): boolean {
  return defaultHasher.needsRehash(stored);
}
