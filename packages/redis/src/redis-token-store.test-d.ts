import type { TokenLock, TokenStore, TokenStoreError } from "@pintoken/core";
import { createClient } from "redis";
import { expectTypeOf, it } from "vitest";
import type { RedisCommandClient, RedisStoreError, RedisStoreErrorReason, RedisTokenLock } from "./index.ts";
import { RedisTokenStore } from "./index.ts";

it("takes a node-redis client as it is, and is a core TokenStore", () => {
  expectTypeOf(createClient()).toExtend<RedisCommandClient>();
  expectTypeOf(RedisTokenStore).instance.toExtend<TokenStore>();
  expectTypeOf<RedisStoreError>().toExtend<TokenStoreError>();
  expectTypeOf<RedisStoreError["reason"]>().toEqualTypeOf<RedisStoreErrorReason>();
});

it("locks with extend()", () => {
  const store = new RedisTokenStore({ client: createClient() });
  expectTypeOf(store.lock("k", 1_000)).resolves.toEqualTypeOf<RedisTokenLock>();
  expectTypeOf<RedisTokenLock>().toExtend<TokenLock>();
  expectTypeOf<RedisTokenLock["extend"]>().toEqualTypeOf<(ttlMs: number) => Promise<boolean>>();
});

it("rejects options of the wrong type", () => {
  // @ts-expect-error: client is required
  new RedisTokenStore({});
  // @ts-expect-error: a URL is not a client; pass createClient({ url }) after connect()
  new RedisTokenStore({ client: "redis://localhost:6379" });
  // @ts-expect-error: secret is a string or a list of strings
  new RedisTokenStore({ client: createClient(), secret: new Uint8Array(32) });
  // @ts-expect-error: commandTimeoutMs is a number of milliseconds
  new RedisTokenStore({ client: createClient(), commandTimeoutMs: "2s" });
});
