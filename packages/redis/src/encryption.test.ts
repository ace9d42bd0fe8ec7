import { describe, expect, it } from "vitest";
import { useRedis } from "../test/redis-server.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const current = "the-current-secret-0123456789abcdefghij";
const previous = "the-previous-secret-0123456789abcdefghij";

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
