import { constants } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  type LockOptions,
  parseTokenSet,
  type SetOptions,
  type SetResult,
  type StoredTokenSet,
  type TokenLock,
  type TokenSet,
  type TokenStore,
} from "@pintoken/core";
import { createSealer, type Sealer } from "@pintoken/core/crypto";
import { defaultConfigDir } from "./config-dir.ts";
import { FileTokenStoreError } from "./errors.ts";
import { acquireLock, MutexTimeoutError, randomId, withMutex } from "./file-lock.ts";

/**
 * The Pinterest app a profile signs in with: what a refresh needs besides the refresh token.
 *
 * @example
 * ```ts
 * const app: ProfileApp = { clientId: "1234567", clientSecret: process.env.PINTEREST_CLIENT_SECRET!, redirectUri: "http://localhost:8085/" };
 * ```
 */
export interface ProfileApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The redirect URI the profile signed in with. */
  readonly redirectUri?: string | undefined;
  /** Set when not Pinterest's (`https://api.pinterest.com/v5`), e.g. a mock's. */
  readonly apiBaseUrl?: string | undefined;
  /** Set when not Pinterest's (`https://www.pinterest.com/oauth/`). */
  readonly authorizationEndpoint?: string | undefined;
  /** A profile of the mock Pinterest that `pintoken --mock` starts. */
  readonly mock?: boolean | undefined;
}

/**
 * Who a profile is signed in as, from `GET /user_account` at sign-in.
 *
 * @example
 * ```ts
 * const account: ProfileAccount = { username: "pintoken_demo", accountType: "BUSINESS" };
 * ```
 */
export interface ProfileAccount {
  readonly username?: string | undefined;
  readonly accountType?: string | undefined;
}

/**
 * Everything one profile file holds: the app, the account and the token set.
 *
 * @example
 * ```ts
 * const profile: ProfileData = { app, account: { username: "pintoken_demo" }, tokenSet };
 * ```
 */
export interface ProfileData {
  readonly app?: ProfileApp | undefined;
  readonly account?: ProfileAccount | undefined;
  readonly tokenSet?: TokenSet | undefined;
}

/**
 * A profile as read: its data, the file's version and whether it is encrypted.
 *
 * @example
 * ```ts
 * const found: StoredProfile | undefined = await store.readProfile("default");
 * ```
 */
export interface StoredProfile {
  readonly data: ProfileData;
  readonly version: string;
  readonly encrypted: boolean;
}

/**
 * Options of {@link FileTokenStore}.
 *
 * @example
 * ```ts
 * const store = new FileTokenStore({ configDir: "/tmp/pintoken-test", passphrase: process.env.PINTOKEN_PASSPHRASE });
 * ```
 */
export interface FileTokenStoreOptions {
  /** The configuration directory; profiles are in its `profiles/` directory. Default {@link defaultConfigDir}. */
  configDir?: string | undefined;
  /**
   * Encrypts profile files (AES-256-GCM, key derived with HKDF from this secret of at least 32 characters, through
   * `@pintoken/core/crypto`'s `createSealer`). Files written without it stay readable; they are encrypted on their
   * next write.
   */
  passphrase?: string | undefined;
  /** Where the passphrase came from, for the messages (e.g. `PINTOKEN_PASSPHRASE`). */
  passphraseSource?: string | undefined;
}

/** The file's format marker. */
const format = "pintoken-profile/1";

/** What a profile file holds on disk: the data in the clear, or sealed. */
interface ProfileFile {
  readonly format: typeof format;
  /** Changes on every write: what compare-and-set compares. */
  readonly version: string;
  readonly updatedAt: string;
  readonly data?: ProfileData;
  /** `data` as JSON, sealed with the passphrase (context: the profile's key). */
  readonly sealed?: string;
}

const isCode = (error: unknown, ...codes: string[]) =>
  codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");

/** A file name for a key: letters, digits, `_`, `-` and inner `.` as they are; anything else as `%XX`. */
export function fileNameOf(key: string): string {
  if (key === "") throw new TypeError("A profile name cannot be empty.");
  const encoded = [...new TextEncoder().encode(key)]
    .map((byte, index) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) || (char === "." && index > 0)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
  return encoded;
}

const posix = process.platform !== "win32";

/**
 * A `TokenStore` of `@pintoken/core` in files: one file per profile (key) in `<configDir>/profiles/`, created `0600`
 * in a `0700` directory and written atomically (a temporary file, `fsync`, then a rename). It refuses to read a
 * file or directory that others may read, and says which `chmod` fixes it; with a passphrase it encrypts the files.
 * Its lock is a lock file per profile (owner and expiry, with take-over of an expired one, `extend`, `tookOver` and
 * the abort `signal`), so processes sharing the directory refresh a token once: it passes `tokenStoreContract()`.
 * The file also keeps the profile's app credentials (needed to refresh) and account: {@link FileTokenStore.readProfile}.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager } from "@pintoken/core";
 * import { FileTokenStore } from "@pintoken/cli";
 *
 * // The profile `pintoken login` signed in, shared with `pintoken token`: one refresh across both.
 * const store = new FileTokenStore({ passphrase: process.env.PINTOKEN_PASSPHRASE });
 * const { app } = (await store.readProfile("default"))?.data ?? {};
 * if (!app) throw new Error("run `pintoken login` first");
 * const oauth = createPinterestOAuth({ clientId: app.clientId, clientSecret: app.clientSecret });
 * const manager = createTokenManager({ oauth, store, key: "default" });
 * const accessToken = await manager.getAccessToken();
 * ```
 */
export class FileTokenStore implements TokenStore {
  /** The directory of the profile files. */
  readonly dir: string;
  readonly #sealer: Sealer | undefined;
  readonly #passphraseSource: string;
  #checkedDir: Promise<boolean> | undefined;

  constructor(options: FileTokenStoreOptions = {}) {
    this.dir = join(options.configDir ?? defaultConfigDir(), "profiles");
    this.#passphraseSource = options.passphraseSource ?? "the passphrase";
    this.#sealer = options.passphrase
      ? createSealer(options.passphrase, "token-store", { name: "the passphrase", source: options.passphraseSource })
      : undefined;
  }

  /** The file of a profile. */
  path(key: string): string {
    return join(this.dir, `${fileNameOf(key)}.json`);
  }

  async get(key: string): Promise<StoredTokenSet | undefined> {
    const found = await this.readProfile(key);
    return found?.data.tokenSet && { tokenSet: found.data.tokenSet, version: found.version };
  }

  async set(key: string, tokenSet: TokenSet, { ifVersion }: SetOptions = {}): Promise<SetResult> {
    const { version } = await this.#change(key, "save the token set", async (current) => {
      const storedVersion = current?.data.tokenSet ? current.version : null;
      return ifVersion !== undefined && storedVersion !== ifVersion ? undefined : { ...current?.data, tokenSet };
    });
    return version === undefined ? { ok: false } : { ok: true, version };
  }

  /** Deletes the profile's file: its tokens, app credentials and account (a sign-out). */
  async delete(key: string): Promise<void> {
    await this.#underMutex(key, "delete the profile", async () => {
      await unlink(this.path(key)).catch((error) => isCode(error, "ENOENT") || Promise.reject(error));
      await this.#syncDir();
    });
  }

  async lock(key: string, ttlMs: number, { signal }: LockOptions = {}): Promise<TokenLock> {
    await this.#ensureDir(key);
    try {
      return await acquireLock(this.#lockFiles(key), ttlMs, signal);
    } catch (error) {
      if (signal?.aborted && error === signal.reason) throw error;
      throw this.#failure(key, "take the refresh lock", error);
    }
  }

  /**
   * The whole profile: app, account and token set, with the file's version; `undefined` when there is no file.
   * Throws a {@link FileTokenStoreError} (and changes nothing) for a file others may read, a damaged one, or one
   * encrypted with another passphrase or while none is set.
   */
  async readProfile(key: string): Promise<StoredProfile | undefined> {
    const path = this.path(key);
    if (!(await this.#checkDir(key))) return undefined;
    let text: string;
    try {
      text = await this.#readPrivate(key, path);
    } catch (error) {
      if (isCode(error, "ENOENT")) return undefined;
      throw error;
    }
    return this.#parse(key, path, text);
  }

  /** Replaces the whole profile (a new sign-in); returns the new version. */
  async saveProfile(key: string, data: ProfileData): Promise<string> {
    const { version } = await this.#change(key, "save the profile", async () => data);
    return version as string;
  }

  /** Changes the profile's app or account under the key's mutex, keeping its token set. */
  async updateProfile(key: string, update: (data: ProfileData) => ProfileData): Promise<void> {
    await this.#change(key, "update the profile", async (current) => ({
      ...update(current?.data ?? {}),
      tokenSet: current?.data.tokenSet,
    }));
  }

  /** The names of the profiles in the directory, sorted. */
  async profiles(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isCode(error, "ENOENT")) return [];
      throw this.#failure("*", "list the profiles", error);
    }
    return names
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .map((name) => decodeURIComponent(name.slice(0, -".json".length)))
      .sort();
  }

  /** Never show secrets when the store is logged or serialized. */
  toJSON(): { dir: string; encrypted: boolean } {
    return { dir: this.dir, encrypted: this.#sealer !== undefined };
  }

  /**
   * Reads, decides and writes under the key's mutex (a damaged file is never overwritten: reading it throws first).
   * `decide` returns the data to write, or undefined to write nothing; the result is the written version.
   */
  async #change(
    key: string,
    operation: string,
    decide: (current: StoredProfile | undefined) => Promise<ProfileData | undefined>,
  ): Promise<{ version: string | undefined }> {
    return this.#underMutex(key, operation, async () => {
      const data = await decide(await this.readProfile(key));
      return { version: data ? await this.#write(key, data) : undefined };
    });
  }

  async #underMutex<T>(key: string, operation: string, work: () => Promise<T>): Promise<T> {
    await this.#ensureDir(key);
    try {
      return await withMutex(this.#lockFiles(key).mutex, work);
    } catch (error) {
      throw error instanceof FileTokenStoreError ? error : this.#failure(key, operation, error);
    }
  }

  #lockFiles(key: string) {
    const base = join(this.dir, fileNameOf(key));
    return { lock: `${base}.lock`, mutex: `${base}.mutex` };
  }

  async #write(key: string, data: ProfileData): Promise<string> {
    const version = randomId();
    const body: ProfileFile = {
      format,
      version,
      updatedAt: new Date().toISOString(),
      ...(this.#sealer ? { sealed: await this.#sealer.seal(JSON.stringify(data), contextOf(key)) } : { data }),
    };
    const path = this.path(key);
    const temporary = join(this.dir, `.${fileNameOf(key)}.${randomId()}.tmp`);
    const file = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await file.writeFile(`${JSON.stringify(body, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await this.#syncDir();
    return version;
  }

  /** Makes the rename durable (POSIX); Windows cannot open a directory, and needs nothing more. */
  async #syncDir(): Promise<void> {
    if (!posix) return;
    const dir = await open(this.dir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Reads a file after checking, on the open file, that only its owner (this user) can read or write it. */
  async #readPrivate(key: string, path: string): Promise<string> {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(path, "r");
    } catch (error) {
      if (isCode(error, "ENOENT")) throw error;
      throw this.#failure(key, "read", error, path);
    }
    try {
      const info = await file.stat();
      if (posix) {
        if (typeof process.getuid === "function" && info.uid !== process.getuid())
          throw new FileTokenStoreError({
            key,
            path,
            operation: "read",
            reason: "unreadable",
            detail: `${path} belongs to another user (uid ${info.uid}); it was not read. Sign in again as yourself, or fix its owner: chown "$(id -u)" '${path}'`,
          });
        if (info.mode & 0o077)
          throw new FileTokenStoreError({
            key,
            path,
            operation: "read",
            reason: "unreadable",
            detail: `${path} can be read or written by other users (mode ${modeOf(info.mode)}), so it was not read. If nobody else has used it, make it yours alone: chmod 600 '${path}'`,
          });
      }
      return await file.readFile("utf8");
    } finally {
      await file.close();
    }
  }

  #parse(key: string, path: string, text: string): Promise<StoredProfile> | StoredProfile {
    const damaged = (why: string) =>
      new FileTokenStoreError({
        key,
        path,
        operation: "read",
        reason: "unreadable",
        detail: `${path} is damaged (${why}); nothing was changed. Move it aside and sign in again: mv '${path}' '${path}.damaged' && pintoken login --profile ${key}`,
      });
    let file: Partial<ProfileFile>;
    try {
      file = JSON.parse(text) as Partial<ProfileFile>;
    } catch (error) {
      throw damaged(`not JSON: ${(error as Error).message}`);
    }
    if (typeof file !== "object" || file === null || file.format !== format || typeof file.version !== "string")
      throw damaged(`not a ${format} file`);
    const { version } = file;
    const checked = (data: unknown, encrypted: boolean): StoredProfile => {
      const profile = readData(data);
      if (!profile) throw damaged("its data are not a profile");
      return { data: profile, version, encrypted };
    };
    if (typeof file.sealed === "string") {
      const sealed = file.sealed;
      const sealer = this.#sealer;
      if (!sealer)
        throw new FileTokenStoreError({
          key,
          path,
          operation: "read",
          reason: "unreadable",
          detail: `${path} is encrypted: set ${this.#passphraseSource} to the passphrase it was written with.`,
        });
      return sealer.open(sealed, contextOf(key)).then(
        (json) => checked(JSON.parse(json), true),
        (error: Error) => {
          throw new FileTokenStoreError({
            key,
            path,
            operation: "read",
            reason: "unreadable",
            detail: `${path} does not open with ${this.#passphraseSource}: ${error.message}. Set it to the passphrase the file was written with.`,
          });
        },
      );
    }
    return checked(file.data, false);
  }

  /** Creates the directory (0700) for a write, and checks it. */
  async #ensureDir(key: string): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw this.#failure(key, "create the profile directory", error, this.dir);
    }
    this.#checkedDir = undefined;
    await this.#checkDir(key);
  }

  /** Whether the directory exists; throws when others may read or write it. */
  #checkDir(key: string): Promise<boolean> {
    this.#checkedDir ??= (async () => {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(this.dir);
      } catch (error) {
        if (isCode(error, "ENOENT")) return false;
        throw this.#failure(key, "read", error, this.dir);
      }
      if (posix && info.mode & 0o077)
        throw new FileTokenStoreError({
          key,
          path: this.dir,
          operation: "read",
          reason: "unreadable",
          detail: `the profile directory ${this.dir} can be read or written by other users (mode ${modeOf(info.mode)}). Make it yours alone: chmod 700 '${this.dir}'`,
        });
      return true;
    })();
    const checked = this.#checkedDir;
    checked.catch(() => {
      if (this.#checkedDir === checked) this.#checkedDir = undefined;
    });
    return checked;
  }

  #failure(key: string, operation: string, error: unknown, path = this.path(key)): FileTokenStoreError {
    if (error instanceof FileTokenStoreError) return error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = error instanceof MutexTimeoutError ? "lock_timeout" : code ? "rejected" : "unknown";
    const detail =
      error instanceof MutexTimeoutError
        ? `${error.message}. If no pintoken is running, remove it.`
        : code === "EACCES" || code === "EPERM"
          ? `permission denied on ${path}. Check that the directory ${this.dir} is yours (ls -ld '${this.dir}').`
          : code === "ENOSPC"
            ? `the disk is full (${path}); nothing was changed.`
            : `${(error as Error | undefined)?.message ?? String(error)}`;
    return new FileTokenStoreError({ key, path, operation, reason, detail, cause: error });
  }
}

/** The sealing context: a file copied to another profile's name does not open. */
const contextOf = (key: string) => `pintoken-profile:${key}`;

const modeOf = (mode: number) => `0${(mode & 0o777).toString(8)}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const optionalString = (value: unknown) => value === undefined || typeof value === "string";

/** A profile's data read back, or undefined when a field is of the wrong type. */
function readData(value: unknown): ProfileData | undefined {
  if (!isRecord(value)) return undefined;
  const { app, account, tokenSet } = value;
  const data: { app?: ProfileApp; account?: ProfileAccount; tokenSet?: TokenSet } = {};
  if (app !== undefined) {
    if (!isRecord(app) || typeof app.clientId !== "string" || typeof app.clientSecret !== "string") return undefined;
    if (![app.redirectUri, app.apiBaseUrl, app.authorizationEndpoint].every(optionalString)) return undefined;
    data.app = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      redirectUri: app.redirectUri as string | undefined,
      apiBaseUrl: app.apiBaseUrl as string | undefined,
      authorizationEndpoint: app.authorizationEndpoint as string | undefined,
      mock: app.mock === true ? true : undefined,
    };
  }
  if (account !== undefined) {
    if (!isRecord(account) || !optionalString(account.username) || !optionalString(account.accountType))
      return undefined;
    data.account = {
      username: account.username as string | undefined,
      accountType: account.accountType as string | undefined,
    };
  }
  if (tokenSet !== undefined) {
    const parsed = parseTokenSet(tokenSet);
    if (!parsed) return undefined;
    data.tokenSet = parsed;
  }
  return data;
}
