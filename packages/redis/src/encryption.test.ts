import { ConfigurationError } from "@pintoken/core";
import { deriveKey } from "@pintoken/core/crypto";
import { describe, expect, it } from "vitest";
import { useRedis } from "../test/redis-server.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { createSealer } from "./encryption.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const current = "the-current-secret-0123456789abcdefghij";
const previous = "the-previous-secret-0123456789abcdefghij";

describe("createSealer", () => {
  it("opens what it sealed, for the same context only", async () => {
    const sealer = createSealer(current);
    const sealed = await sealer.seal("plain ünïcødé text", "user-1");
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("plain");
    expect(await sealer.open(sealed, "user-1")).toBe("plain ünïcødé text");
    await expect(sealer.open(sealed, "user-2")).rejects.toThrow(/does not authenticate/);
  });

  it("seals the same text differently every time (random IV)", async () => {
    const sealer = createSealer(current);
    const [a, b] = await Promise.all([sealer.seal("same", "k"), sealer.seal("same", "k")]);
    expect(a).not.toBe(b);
  });

  it("rotates: the first secret seals, every secret opens, a dropped secret no longer opens", async () => {
    const old = createSealer(previous);
    const sealedByOld = await old.seal("old data", "k");
    const rotated = createSealer([current, previous]);
    expect(await rotated.open(sealedByOld, "k")).toBe("old data");
    const sealedByNew = await rotated.seal("new data", "k");
    expect(await createSealer(current).open(sealedByNew, "k")).toBe("new data");
    await expect(old.open(sealedByNew, "k")).rejects.toThrow(/secret that is not in the list/);
    await expect(createSealer(current).open(sealedByOld, "k")).rejects.toThrow(/not in the list/);
  });

  it("writes the documented format: v1, the key id core derives for the purpose token-store, IV and ciphertext", async () => {
    const sealed = await createSealer([current, previous]).seal("data", "k");
    const [version, id, iv, ciphertext] = sealed.split(".");
    expect(version).toBe("v1");
    expect(id).toBe((await deriveKey(current, "token-store")).id);
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(ciphertext ?? "", "base64url")).toHaveLength(4 + 16); // "data" and the GCM tag
  });

  it("refuses altered values and values it did not seal", async () => {
    const sealer = createSealer(current);
    const sealed = await sealer.seal("data", "k");
    const [v, id, iv, ciphertext = ""] = sealed.split(".");
    const flipped = `${ciphertext.slice(0, -2)}${ciphertext.at(-2) === "A" ? "B" : "A"}${ciphertext.at(-1)}`;
    await expect(sealer.open([v, id, iv, flipped].join("."), "k")).rejects.toThrow(/does not authenticate/);
    for (const bad of ["", "v1", "v2.a.b.c", "v1.a.b", `${sealed}.extra`, `v1.${id}.!!.${ciphertext}`]) {
      await expect(sealer.open(bad, "k")).rejects.toThrow();
    }
  });

  it("asks for long enough secrets, naming the option and how to make one", () => {
    expect(() => createSealer("too short")).toThrow(ConfigurationError);
    expect(() => createSealer("too short")).toThrow(/at least 32 random characters.*openssl rand/);
    expect(() => createSealer([current, "short"])).toThrow(/secret #2 is too short/);
    expect(() => createSealer([])).toThrow(/non-empty list/);
    expect(() => createSealer(42 as never)).toThrow(/must be a secret/);
  });
});

describe("RedisTokenStore with secret", () => {
  const redis = useRedis();

  it("stores ciphertext only: no token, scope or expiry is readable in Redis", async () => {
    const store = new RedisTokenStore({ client: redis.client, secret: current });
    const tokens = sampleTokenSet();
    await store.set("enc-1", tokens);
    const raw = JSON.stringify(await redis.client.hGetAll("pintoken:token:enc-1"));
    for (const plain of [tokens.accessToken, tokens.refreshToken ?? "", "user_accounts", String(tokens.expiresAt)]) {
      expect(raw).not.toContain(plain);
    }
    expect((await store.get("enc-1"))?.tokenSet).toEqual(tokens);
  });

  it("reads sets written before the secret rotated, and writes new ones with the new secret", async () => {
    const before = new RedisTokenStore({ client: redis.client, secret: previous });
    const tokens = sampleTokenSet();
    await before.set("enc-2", tokens);
    const after = new RedisTokenStore({ client: redis.client, secret: [current, previous] });
    const stored = await after.get("enc-2");
    expect(stored?.tokenSet).toEqual(tokens);
    const refreshed = sampleTokenSet();
    await after.set("enc-2", refreshed, { ifVersion: stored?.version ?? null });
    expect((await new RedisTokenStore({ client: redis.client, secret: current }).get("enc-2"))?.tokenSet).toEqual(
      refreshed,
    );
  });

  it("reads plain sets written before encryption was turned on (the next write encrypts)", async () => {
    const tokens = sampleTokenSet();
    await new RedisTokenStore({ client: redis.client }).set("enc-3", tokens);
    const encrypted = new RedisTokenStore({ client: redis.client, secret: current });
    expect((await encrypted.get("enc-3"))?.tokenSet).toEqual(tokens);
  });

  it("a set copied to another key does not decrypt there; the error says so and nothing changes", async () => {
    const store = new RedisTokenStore({ client: redis.client, secret: current });
    await store.set("victim", sampleTokenSet());
    const copied = await redis.client.hGetAll("pintoken:token:victim");
    await redis.client.hSet("pintoken:token:attacker", copied);
    const error = await store.get("attacker").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RedisStoreError", reason: "unreadable", key: "attacker" });
    expect((error as Error).message).toMatch(/cannot be decrypted: .*altered, or copied from another key/);
    expect(await redis.client.hGetAll("pintoken:token:attacker")).toEqual(copied);
  });

  it("a wrong secret is an unreadable RedisStoreError that says to add the old secret; the value stays", async () => {
    await new RedisTokenStore({ client: redis.client, secret: previous }).set("enc-4", sampleTokenSet());
    const before = await redis.client.hGetAll("pintoken:token:enc-4");
    const error = await new RedisTokenStore({ client: redis.client, secret: current })
      .get("enc-4")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "unreadable" });
    expect((error as Error).message).toMatch(/add that secret/);
    expect((error as Error).message).not.toContain(previous);
    expect(await redis.client.hGetAll("pintoken:token:enc-4")).toEqual(before);
  });
});
