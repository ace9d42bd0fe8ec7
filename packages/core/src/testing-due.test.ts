/** The contract's `due()` cases: they pass on the memory store, and catch stores whose listing is wrong. */
import { describe, expect, it } from "vitest";
import { tokenStoreContract } from "./testing.ts";
import { type DueEntry, type DueOptions, MemoryTokenStore, type TokenStore } from "./token-store.ts";

const dueCase = (name: string) => name.startsWith("due()");

/** A memory store whose `due` is replaced by `due(inner, before, options)`. */
function withDue(due: (inner: MemoryTokenStore, before: number, options: DueOptions) => Promise<DueEntry[]>) {
  return (): TokenStore => {
    const inner = new MemoryTokenStore();
    return {
      get: (k) => inner.get(k),
      set: (k, v, o) => inner.set(k, v, o),
      delete: (k) => inner.delete(k),
      due: (before, options) => due(inner, before, options),
    };
  };
}

async function failedDueCases(createStore: () => TokenStore, features: { due?: boolean } = {}) {
  const cases = tokenStoreContract({ createStore, features: { lock: false, ...features } }).filter((c) =>
    dueCase(c.name),
  );
  expect(cases).toHaveLength(3);
  const failed: Record<string, string> = {};
  for (const c of cases) {
    await c.run().catch((error: Error) => {
      failed[c.name] = error.message;
    });
  }
  return failed;
}

describe("the due() cases of the contract", () => {
  it("pass on MemoryTokenStore", async () => {
    expect(await failedDueCases(() => new MemoryTokenStore())).toEqual({});
  });

  it("catch a store that ignores `after` (every page starts again)", async () => {
    const failed = await failedDueCases(withDue((inner, before, { limit }) => inner.due(before, { limit })));
    const [first] = Object.keys(failed);
    expect(first).toMatch(/^due\(\) lists exactly the keys/);
    expect(failed[first as string]).toMatch(/listed .* twice|comes before the page's start|never reached/);
  });

  it("catch a store that ignores `limit`, and one that lists what expires after `before`", async () => {
    const unlimited = await failedDueCases(
      withDue((inner, before, { after }) => inner.due(before, { limit: 1e9, after })),
    );
    expect(Object.values(unlimited).join("\n")).toMatch(/returned \d+ entries for a limit of/);
    const late = await failedDueCases(withDue((inner, before, options) => inner.due(before + 1_000, options)));
    expect(Object.values(late).join("\n")).toMatch(/which expires after/);
  });

  it("catch a store whose index misses a write (the listing does not follow the store)", async () => {
    const frozen = new Map<string, DueEntry>();
    const failed = await failedDueCases(() => {
      const inner = new MemoryTokenStore();
      return {
        get: (k) => inner.get(k),
        async set(k, v, o) {
          const result = await inner.set(k, v, o);
          // Indexes only a key's first write.
          if (result.ok && v.refreshTokenExpiresAt !== undefined && !frozen.has(k))
            frozen.set(k, { key: k, refreshTokenExpiresAt: v.refreshTokenExpiresAt });
          return result;
        },
        delete: (k) => inner.delete(k),
        async due(before, { limit, after }) {
          const all = [...frozen.values()].filter(
            (e) =>
              e.refreshTokenExpiresAt < before &&
              (!after ||
                e.refreshTokenExpiresAt > after.refreshTokenExpiresAt ||
                (e.refreshTokenExpiresAt === after.refreshTokenExpiresAt && e.key > after.key)),
          );
          all.sort((a, b) => a.refreshTokenExpiresAt - b.refreshTokenExpiresAt || (a.key < b.key ? -1 : 1));
          return all.slice(0, limit);
        },
      };
    });
    expect(Object.keys(failed)).toEqual([
      "due() follows every write: a set written again moves, a deleted key leaves, a set without expiry leaves",
    ]);
  });

  it("are skipped for a store without due(), unless features.due is true; left out with features.due false", async () => {
    const plain = (): TokenStore => {
      const inner = new MemoryTokenStore();
      return { get: (k) => inner.get(k), set: (k, v, o) => inner.set(k, v, o), delete: (k) => inner.delete(k) };
    };
    expect(await failedDueCases(plain)).toEqual({});
    const required = await failedDueCases(plain, { due: true });
    expect(Object.values(required)).toEqual(
      Array(3).fill("the store has no due(); implement it, or leave out features.due"),
    );
    expect(tokenStoreContract({ createStore: plain, features: { due: false } }).filter((c) => dueCase(c.name))).toEqual(
      [],
    );
  });
});
