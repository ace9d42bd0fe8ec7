/**
 * One process's view of a KV file through an outage: a `TokenKv` over `Deno.openKv(path)` whose handle a test closes
 * (`down()`) and opens again (`up()`). While it is down, every call fails as Deno KV fails on a closed database
 * (`Database is closed.` for a call in flight, `Bad resource ID` after), so `DenoKvTokenStore` sees a real KV error;
 * other processes on the same file are not affected.
 */
import type { KvAtomic, KvEntryMaybe, KvKey, TokenKv } from "../src/index.ts";

export class OutageKv implements TokenKv {
  #kv: Deno.Kv;
  readonly #path: string;
  #downAfterTokenWrite = false;

  private constructor(kv: Deno.Kv, path: string) {
    this.#kv = kv;
    this.#path = path;
  }

  static async open(path: string): Promise<OutageKv> {
    return new OutageKv(await Deno.openKv(path), path);
  }

  /** The outage starts: the handle is closed. */
  down(): void {
    this.#kv.close();
  }

  /** The outage ends: a new handle on the same file. */
  async up(): Promise<void> {
    this.#kv = await Deno.openKv(this.#path);
  }

  /** The outage starts right after the next write of a token set lands (before anything else reaches KV). */
  downAfterNextTokenWrite(): void {
    this.#downAfterTokenWrite = true;
  }

  get<T = unknown>(key: KvKey): Promise<KvEntryMaybe<T>> {
    return this.#kv.get<T>(key as Deno.KvKey);
  }

  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<{ versionstamp: string }> {
    return this.#kv.set(key as Deno.KvKey, value, options);
  }

  delete(key: KvKey): Promise<void> {
    return this.#kv.delete(key as Deno.KvKey);
  }

  close(): void {
    this.#kv.close();
  }

  atomic(): KvAtomic {
    const op = this.#kv.atomic();
    let writesTokens = false;
    const commitAndMaybeFail = async () => {
      const result = await op.commit();
      if (result.ok && writesTokens && this.#downAfterTokenWrite) {
        this.#downAfterTokenWrite = false;
        this.down();
      }
      return result;
    };
    return {
      check(...checks) {
        op.check(...(checks as Deno.AtomicCheck[]));
        return this;
      },
      set(key, value, options) {
        writesTokens ||= key.at(-2) === "tokens"; // [...prefix, "tokens", key]
        op.set(key as Deno.KvKey, value, options);
        return this;
      },
      delete(key) {
        op.delete(key as Deno.KvKey);
        return this;
      },
      commit: commitAndMaybeFail,
    };
  }
}
