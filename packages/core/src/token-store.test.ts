import { describe, expect, it } from "vitest";
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
    const store = new MemoryTokenStore();
    const order: string[] = [];
    const hold = async (name: string, key: string) => {
      const lock = await store.lock(key, 10_000);
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 10));
      order.push(`${name} out`);
      await lock.release();
    };
    await Promise.all([hold("a", "k"), hold("b", "k"), hold("c", "other")]);
    expect(order.indexOf("b in")).toBeGreaterThan(order.indexOf("a out"));
    expect(order.indexOf("c in")).toBeLessThan(order.indexOf("a out"));
  });

  it("a lock that is never released expires after its TTL", async () => {
    const store = new MemoryTokenStore();
    await store.lock("k", 30);
    const started = Date.now();
    const second = await store.lock("k", 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    await second.release();
  });

  it("serializes without tokens", async () => {
    const store = new MemoryTokenStore();
    await store.set("k", tokenSet(0, 1));
    expect(JSON.stringify(store)).toBe('{"keys":1}');
  });
});
