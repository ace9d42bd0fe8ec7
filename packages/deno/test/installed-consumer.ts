/**
 * A program as a Deno user writes it, importing the package by name. In this repository the names map to the source
 * (deno.json's imports); `scripts/check-installed.ts` type-checks and runs it where they resolve to the packed npm
 * packages, and to the JSR source over core's npm package. Offline: it only uses Deno KV in memory.
 */
import {
  ConfigurationError,
  createPinterestOAuth,
  createTokenManager,
  DenoKvStoreError,
  DenoKvTokenStore,
  type TokenSet,
  TokenStoreError,
} from "@pintoken/deno";
import { createPinterestApi } from "@pintoken/deno/api";

/**
 * Never called. A declaration that fails to resolve becomes `any` without an error; then these lines, which expect
 * errors, fail the type check instead.
 */
export function typesAreReal(): void {
  // @ts-expect-error: a TokenSet (from one of core's declaration chunks) needs accessToken and expiresAt
  ({ tokenType: "bearer", scopes: [], responseType: "refresh_token" }) satisfies TokenSet;
  // @ts-expect-error: createTokenManager (from another of core's chunks) needs oauth and store
  createTokenManager({ key: "user-1" });
  // @ts-expect-error: DenoKvTokenStore (this package) needs a KV
  new DenoKvTokenStore();
  // @ts-expect-error: the API client (core's ./api entry) knows Pinterest's paths
  createPinterestApi().GET("/no-such-path");
}

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`installed package: ${what}`);
}

const oauth = createPinterestOAuth({ clientId: "1500001", clientSecret: "not-a-real-secret" });
const store = await DenoKvTokenStore.open(":memory:");
try {
  const now = Date.now();
  const tokens: TokenSet = {
    accessToken: "pina_installed",
    tokenType: "bearer",
    scopes: ["user_accounts:read"],
    expiresAt: now + 3_600_000,
    refreshToken: "pinr_installed",
    responseType: "authorization_code",
    issuedAt: now,
  };
  const manager = createTokenManager({ oauth, store, key: "user-1" });
  await manager.save(tokens);
  check((await manager.getAccessToken()) === tokens.accessToken, "the stored access token is returned");
  const stored = await store.get("user-1");
  check(stored && (await store.set("user-1", tokens, { ifVersion: null })).ok === false, "compare-and-set refuses");
  const lock = await store.lock("user-1", 5_000);
  check(lock.tookOver === false, "a lock taken on a free key was not taken over");
  check((await lock.extend(5_000)) === true, "the lock's owner extends it");
  await lock.release();

  // Core's error classes are the ones this package throws (one copy of core, whichever way it was installed).
  const error = await store.lock("user-1", 0).catch((e: unknown) => e);
  check(error instanceof ConfigurationError && error.code === "configuration_error", "a ConfigurationError");
  const gone = await DenoKvTokenStore.open(":memory:");
  gone.close();
  const closed = await gone.get("user-1").catch((e: unknown) => e);
  check(
    closed instanceof DenoKvStoreError && closed instanceof TokenStoreError && closed.reason === "unavailable",
    "a closed KV is a DenoKvStoreError (a core TokenStoreError) saying unavailable",
  );

  const api = createPinterestApi({ manager });
  check(typeof api.GET === "function", "createPinterestApi returns the typed client");
  console.log("the store, the token manager, the lock and the API client work");
} finally {
  store.close();
}
