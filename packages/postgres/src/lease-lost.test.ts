/**
 * A lease lost in the middle of a refresh (taken away from outside while Pinterest is slow): the holder learns it
 * (its extension fails: a `lock-lost` event), another instance takes the lease and refreshes, and whichever refresh
 * Pinterest honours, both callers end with the one live token set, which is what is stored. Nothing is lost.
 */
import { createPinterestOAuth, createTokenManager, type TokenManagerEvent } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { usePostgres } from "../test/postgres.ts";
import { PostgresTokenStore } from "./postgres-token-store.ts";

const postgres = usePostgres();
let pinterest: MockPinterestServer;
beforeAll(async () => {
  pinterest = await startMockPinterest();
});
afterAll(() => pinterest?.close());

it("a lease taken away mid-refresh: lock-lost is reported, both callers get the live tokens, the store holds them", async () => {
  const oauth = createPinterestOAuth({ ...mockClient, baseUrl: pinterest.apiBaseUrl });
  const { code } = pinterest.mock.authorize({ scopes: ["user_accounts:read"] });
  const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
  // Two instances: two store objects (no shared single flight), one database.
  const [storeA, storeB] = [0, 1].map(() => new PostgresTokenStore({ db: postgres.pool, tenant: "lost" }));
  await storeA?.set("user", { ...tokens, expiresAt: Date.now() - 1_000 });
  const events: TokenManagerEvent[] = [];
  const managerA = createTokenManager({
    oauth,
    store: storeA as PostgresTokenStore,
    key: "user",
    lockTtlMs: 1_500,
    onEvent: (event) => events.push(event),
  });
  const managerB = createTokenManager({ oauth, store: storeB as PostgresTokenStore, key: "user", lockTtlMs: 1_500 });

  pinterest.mock.scenario({ grantType: "refresh_token" }).slow(2_000); // A's refresh
  const a = managerA.getAccessToken();
  const leased = () => postgres.pool.query("SELECT owner FROM pintoken_leases WHERE tenant = 'lost' AND key = 'user'");
  while ((await leased()).rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await postgres.pool.query("DELETE FROM pintoken_leases WHERE tenant = 'lost'"); // the lease is lost
  const b = managerB.getAccessToken(); // takes the lease and refreshes with the same refresh token

  const [tokenA, tokenB] = await Promise.all([a, b]);
  const stored = (await storeA?.get("user"))?.tokenSet;
  expect(tokenA).toBe(stored?.accessToken);
  expect(tokenB).toBe(stored?.accessToken);
  expect(pinterest.mock.inspectToken(stored?.refreshToken as string)?.status).toBe("active");
  expect(pinterest.mock.inspectToken(tokens.refreshToken as string)?.status).toBe("rotated");
  expect(events.map((e) => e.type)).toContain("lock-lost");
}, 60_000);
