import { describe, expect, it, vi } from "vitest";
import { tokenSet } from "../test/helpers.ts";
import { MemoryTokenStore } from "./token-store.ts";

describe("MemoryTokenStore", () => {
  it("stores copies, versioned on every write", async () => {
    const store = new MemoryTokenStore();
    const set = tokenSet(0, 1000);
    const first = await store.set("k", set);
    set.accessToken = "mutated";
    const stored = await store.get("k");
    expect(stored?.tokenSet.accessToken).toBe("pina_stored_1000");
    expect(first).toEqual({ ok: true, version: stored?.version });
    if (stored) stored.tokenSet.scopes.push("mutated");
    expect((await store.get("k"))?.tokenSet.scopes).toEqual(["user_accounts:read"]);
    const second = await store.set("k", set);
    expect(second.ok && second.version).not.toBe(stored?.version);
  });

  it("compare-and-set writes only over the expected version", async () => {
    const store = new MemoryTokenStore();
    expect(await store.set("k", tokenSet(0, 1), { ifVersion: "nope" })).toEqual({ ok: false });
    const created = await store.set("k", tokenSet(0, 1), { ifVersion: null });
    expect(created.ok).toBe(true);
    expect(await store.set("k", tokenSet(0, 2), { ifVersion: null })).toEqual({ ok: false });
    const version = created.ok ? created.version : "";
    expect((await store.set("k", tokenSet(0, 3), { ifVersion: version })).ok).toBe(true);
    expect(await store.set("k", tokenSet(0, 4), { ifVersion: version })).toEqual({ ok: false });
    expect((await store.get("k"))?.tokenSet.expiresAt).toBe(3);
  });

  it("delete removes the key", async () => {
    const store = new MemoryTokenStore();
    await store.set("k", tokenSet(0, 1));
    await store.delete("k");
    expect(await store.get("k")).toBeUndefined();
  });

  it("lock is exclusive per key and released in order", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const store = new MemoryTokenStore();
      const order: string[] = [];
      const hold = async (name: string, key: string) => {
        const lock = await store.lock(key, 10_000);
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 10));
        order.push(`${name} out`);
        await lock.release();
      };
      const all = Promise.all([hold("a", "k"), hold("b", "k"), hold("c", "other")]);
      await vi.advanceTimersByTimeAsync(100);
      await all;
      expect(order.indexOf("b in")).toBeGreaterThan(order.indexOf("a out"));
      expect(order.indexOf("c in")).toBeLessThan(order.indexOf("a out"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("a lock that is never released expires after exactly its TTL, and the next holder took it over", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const store = new MemoryTokenStore();
      const first = await store.lock("k", 30);
      expect(first.tookOver).toBe(false);
      let second: Awaited<ReturnType<MemoryTokenStore["lock"]>> | undefined;
      void store.lock("k", 30).then((lock) => {
        second = lock;
      });
      await vi.advanceTimersByTimeAsync(29);
      expect(second).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(second?.tookOver).toBe(true);
      await second?.release();
      expect((await store.lock("k", 30)).tookOver).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a wait for the lock stops when its signal aborts, and takes nothing", async () => {
    const store = new MemoryTokenStore();
    const held = await store.lock("k", 10_000);
    const controller = new AbortController();
    const waiting = store.lock("k", 10_000, { signal: controller.signal });
    controller.abort(new Error("fresh tokens appeared"));
    await expect(waiting).rejects.toThrow("fresh tokens appeared");
    await expect(store.lock("k", 10_000, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    await held.release();
    expect((await store.lock("k", 10_000)).tookOver).toBe(false);
  });

  it("serializes without tokens", async () => {
    const store = new MemoryTokenStore();
    await store.set("k", tokenSet(0, 1));
    expect(JSON.stringify(store)).toBe('{"keys":1}');
  });
});
