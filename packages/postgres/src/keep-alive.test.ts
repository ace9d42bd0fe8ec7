/**
 * Keep-alive over PostgreSQL and the mock Pinterest over HTTP: due accounts refreshed once, the others untouched, a
 * revoked grant reported once and marked in its row, and a second run that finds nothing to do.
 */
import { createPinterestOAuth, type TokenSet } from "@pintoken/core";
import { createKeepAlive, type KeepAliveEvent } from "@pintoken/core/keep-alive";
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

const day = 86_400_000;

it("refreshes the due accounts once, reports a dead grant once (marked in its row), and leaves the rest", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "keep-alive" });
  const oauth = createPinterestOAuth({ ...mockClient, baseUrl: pinterest.apiBaseUrl });
  const signedIn = new Map<string, TokenSet>();
  for (const [key, days] of [
    ["due-1", 2],
    ["due-2", 6],
    ["dead", 3],
    ["later", 30],
  ] as const) {
    const { code } = pinterest.mock.authorize({ scopes: ["user_accounts:read"] });
    const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
    const tokenSet = { ...tokens, refreshTokenExpiresAt: Date.now() + days * day };
    signedIn.set(key, tokenSet);
    await store.set(key, tokenSet);
  }
  pinterest.mock.revokeToken(signedIn.get("dead")?.refreshToken as string); // the user removed the app
  pinterest.mock.calls.reset();

  const events: KeepAliveEvent[] = [];
  const keepAlive = createKeepAlive({ oauth, store, onEvent: (event) => events.push(event) });
  const summary = await keepAlive.run();
  expect(summary).toMatchObject({ listed: 3, refreshed: 2, reauthorizationRequired: 1, transient: 0, complete: true });
  const outcomes = Object.fromEntries(events.flatMap((e) => (e.type === "account" ? [[e.key, e.outcome]] : [])));
  expect(outcomes).toEqual({ "due-1": "refreshed", "due-2": "refreshed", dead: "reauthorization-required" });
  for (const key of ["due-1", "due-2"]) {
    const now = (await store.get(key))?.tokenSet;
    expect(pinterest.mock.inspectToken(now?.refreshToken as string)?.status).toBe("active");
    expect(pinterest.mock.inspectToken(signedIn.get(key)?.refreshToken as string)?.status).toBe("rotated");
    expect(now?.refreshTokenExpiresAt).toBeGreaterThan(Date.now() + 59 * day);
  }
  expect((await store.get("later"))?.tokenSet).toEqual(signedIn.get("later"));
  const { rows } = await postgres.pool.query(
    "SELECT refresh_token_expires_at FROM pintoken_tokens WHERE tenant = 'keep-alive' AND key = 'dead'",
  );
  expect(Number(rows[0].refresh_token_expires_at)).toBeLessThanOrEqual(Date.now()); // marked: not listed again

  pinterest.mock.calls.reset();
  expect(await keepAlive.run()).toMatchObject({ listed: 0, refreshed: 0, reauthorizationRequired: 0 });
  expect(pinterest.mock.calls.for("oauth/token")).toHaveLength(0);
}, 60_000);
