/**
 * Locks across processes made of files, for the file token store: a short **mutex** per key (an exclusively created
 * file) under which every change to a key's files happens, and the **refresh lock** the token manager holds (a file
 * naming its owner and expiry, written under the mutex), with expiry, take-over, extend and an abort signal.
 *
 * Why this is safe: a file created with `O_EXCL` exists for one creator only, and a rename replaces a file atomically
 * (POSIX, and NTFS via `MoveFileEx`), on a local file system. The mutex is held for a few milliseconds (read, write,
 * rename). A lock or mutex left behind by a process that was killed is taken over at once when that process ran on
 * this machine (its pid is gone), else when it expires (the lock) or after `mutexStaleMs` (the mutex).
 */
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";

/** How long a mutex may be held before others treat its holder as dead: far above a few file operations. */
export const mutexStaleMs = 10_000;
/** How long a change waits for the mutex before giving up. */
export const mutexTimeoutMs = 30_000;

/** A random id (owners of locks, versions of files, temporary names). */
export const randomId = (): string => randomBytes(12).toString("base64url");

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", aborted);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const aborted = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

/**
 * This machine and process namespace: a lock or mutex recorded with the same `host` names its holder by a pid that
 * this process can check. (Linux: the pid namespace too, so two containers sharing a directory never judge each
 * other's pids.)
 */
export const host: string = (() => {
  try {
    return `${hostname()}/${readlinkSync("/proc/self/ns/pid")}`;
  } catch {
    return hostname();
  }
})();

/** Whether the holder recorded as `pid` on `recordedHost` is known to be gone (only a holder of this host can be). */
export function holderIsGone(recordedHost: unknown, pid: unknown): boolean {
  if (recordedHost !== host || typeof pid !== "number" || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** The wait before the next look at a busy lock: grows from 5 to 50 ms, with jitter so waiters spread out. */
const pollDelay = (attempt: number) => Math.min(50, 5 * 1.5 ** attempt) * (0.5 + Math.random());

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException | undefined)?.code === code;

/** A file's text, or undefined when it does not exist. */
async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

/** Writes `text` to `path` by a rename over it, so readers see the old or the new content, never a part. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomId()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: "wx" });
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The mutex was held by others for longer than {@link mutexTimeoutMs}. */
export class MutexTimeoutError extends Error {
  override name = "MutexTimeoutError";
}

/**
 * Runs `work` while holding the mutex file `path` (created exclusively, removed after). A mutex older than
 * {@link mutexStaleMs} belongs to a process that died inside it and is removed (only if it is still the same one).
 */
export async function withMutex<T>(path: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const mine = JSON.stringify({ id: randomId(), pid: process.pid, host, at: Date.now() });
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, mine, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if (!isCode(error, "EEXIST")) throw error;
    }
    const held = await readIfExists(path);
    if (held !== undefined && isStaleMutex(held)) {
      // Its holder died inside it. Remove it only if it is still that one (a newer holder's is left alone).
      if ((await readIfExists(path)) === held)
        await unlink(path).catch((error) => isCode(error, "ENOENT") || Promise.reject(error));
      continue;
    }
    if (Date.now() - started > mutexTimeoutMs)
      throw new MutexTimeoutError(`${path} was held by another process for more than ${mutexTimeoutMs / 1000} s`);
    await sleep(pollDelay(attempt), signal);
  }
  try {
    return await work();
  } finally {
    // Ours unless we overran mutexStaleMs and someone took it: then it is theirs to remove.
    if ((await readIfExists(path).catch(() => undefined)) === mine) await unlink(path).catch(() => undefined);
  }
}

/** A mutex whose holder is gone, or that was held longer than {@link mutexStaleMs} (a mutex being written is not). */
function isStaleMutex(text: string): boolean {
  try {
    const held = JSON.parse(text) as { at?: unknown; pid?: unknown; host?: unknown };
    return holderIsGone(held.host, held.pid) || (typeof held.at === "number" && Date.now() - held.at > mutexStaleMs);
  } catch {
    return false;
  }
}

/** What a lock file holds. */
interface LockRecord {
  readonly owner: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly pid: number;
  readonly host: string;
}

/** A lock whose holder's process no longer runs on this machine. */
const isGone = (record: LockRecord) => holderIsGone(record.host, record.pid);

function parseLock(text: string | undefined): LockRecord | "unreadable" | undefined {
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<LockRecord>;
    if (typeof record.owner === "string" && typeof record.expiresAt === "number") return record as LockRecord;
  } catch {
    // fall through
  }
  return "unreadable";
}

/** The files of one key's refresh lock. */
export interface LockFiles {
  /** The lock file: owner and expiry. */
  readonly lock: string;
  /** The key's mutex, under which the lock file changes. */
  readonly mutex: string;
}

/** A held refresh lock (core's `TokenLock`). */
export interface FileLock {
  readonly tookOver: boolean;
  release(): Promise<void>;
  extend(ttlMs: number): Promise<boolean>;
}

/**
 * Waits for, then holds, the refresh lock of `files` for `ttlMs` (unless extended). A lock file whose expiry has
 * passed (its holder crashed or stalled) is taken over, and the new lock says so (`tookOver`). `signal` stops the
 * wait: it rejects with the signal's reason and takes nothing.
 */
export async function acquireLock(files: LockFiles, ttlMs: number, signal?: AbortSignal): Promise<FileLock> {
  const owner = randomId();
  const record = (ms: number) =>
    JSON.stringify({ owner, expiresAt: Date.now() + ms, pid: process.pid, host } satisfies LockRecord);
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    // A look without the mutex first: waiters poll, and only a lock that looks free or expired is worth the mutex.
    const seen = parseLock(await readIfExists(files.lock));
    if (seen === undefined || seen === "unreadable" || seen.expiresAt <= Date.now() || isGone(seen)) {
      const taken = await withMutex(
        files.mutex,
        async () => {
          const current = parseLock(await readIfExists(files.lock));
          if (current === undefined || (current !== "unreadable" && isGone(current))) {
            // Free, or its holder's process is gone: nothing it held can still land, so this is no take-over.
            await replaceFile(files.lock, record(ttlMs));
            return { tookOver: false };
          }
          if (current !== "unreadable" && current.expiresAt > Date.now()) return undefined;
          await replaceFile(files.lock, record(ttlMs));
          return { tookOver: true };
        },
        signal,
      );
      if (taken) {
        const lock = heldLock(files, owner, taken.tookOver, record);
        if (signal?.aborted) {
          await lock.release();
          throw signal.reason;
        }
        return lock;
      }
    }
    await sleep(pollDelay(attempt), signal);
  }
}

function heldLock(files: LockFiles, owner: string, tookOver: boolean, record: (ms: number) => string): FileLock {
  /** Runs `change` under the mutex if the lock file is still this holder's and has not expired. */
  const whileMine = (change: () => Promise<void>) =>
    withMutex(files.mutex, async () => {
      const current = parseLock(await readIfExists(files.lock));
      if (current === undefined || current === "unreadable" || current.owner !== owner) return false;
      if (current.expiresAt <= Date.now()) return false;
      await change();
      return true;
    });
  return {
    tookOver,
    async release() {
      // A holder whose lock expired releases nothing: if nobody took it over yet, the next holder is told it did.
      await whileMine(() => unlink(files.lock));
    },
    extend: (ttlMs) => whileMine(() => replaceFile(files.lock, record(ttlMs))),
  };
}
