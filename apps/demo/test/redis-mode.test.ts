/**
 * Store mode on Redis (`REDIS_URL`), as several instances of the app run in production: two `next start` processes
 * of the production build share one real `redis-server` and one mock Pinterest. The browser's cookie holds only an
 * opaque session id; the tokens live in Redis, encrypted; a due access token is refreshed once for the whole fleet,
 * whichever instance the requests reach; signing out on one instance signs out on every one.
 */
import { randomBytes } from "node:crypto";
import { createMockControl, type MockControl, mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { freePort, type RedisServer, startRedisServer } from "@pintoken/test-support";
import { createClient } from "redis";
import { afterAll, beforeAll, expect, test } from "vitest";
import { appHost, type DemoServers, startDemoServers } from "../scripts/servers.ts";
import { passedOnEnv } from "./environment.ts";
import { signInOverHttp } from "./http-sign-in.ts";

/** Long enough that the sign-in and the first checks happen before the token is due (half its lifetime). */
const accessTokenTtlSeconds = 30;

let redis: RedisServer;
let mock: MockPinterestServer;
let control: MockControl;
const instances: DemoServers[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const ports = [await freePort(appHost), await freePort(appHost)];
  mock = await startMockPinterest({
    port: 0,
    clients: [
      {
        ...mockClient,
        name: "pintoken demo (two instances)",
        redirectUris: ports.map((port) => `http://${appHost}:${port}/api/pinterest/callback`),
      },
    ],
    ttlSeconds: { accessToken: accessTokenTtlSeconds },
  });
  control = createMockControl(mock.url);
  // What every instance of one deployment shares: the client, the secrets and the store.
  const env = {
    ...passedOnEnv(),
    PINTEREST_CLIENT_ID: mockClient.clientId,
    PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
    PINTEREST_API_BASE_URL: mock.apiBaseUrl,
    PINTEREST_AUTHORIZATION_URL: mock.authorizationEndpoint,
    PINTOKEN_SECRET: randomBytes(32).toString("base64url"),
    PINTOKEN_STORE_SECRET: randomBytes(32).toString("base64url"),
    REDIS_URL: redis.url,
  };
  for (const port of ports)
    instances.push(await startDemoServers({ port, mockPort: 0, accessTokenTtlSeconds, env, stdio: "pipe" }));
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await mock?.close();
  await redis?.stop();
});

/** Each stored token set (a hash) as the text of its fields. */
async function redisEntries(): Promise<Map<string, string>> {
  const client = await createClient({ url: redis.url }).connect();
  try {
    const keys = await client.keys("pintoken:token:*");
    return new Map(
      await Promise.all(keys.map(async (key) => [key, JSON.stringify(await client.hGetAll(key))] as const)),
    );
  } finally {
    await client.close();
  }
}

async function json(url: string, cookie: string, method = "GET") {
  const response = await fetch(url, { method, headers: { cookie, origin: new URL(url).origin } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refreshCalls = async () =>
  (await control.calls({ operationId: "oauth/token" })).filter((call) => call.form?.grant_type === "refresh_token");

test("two instances on one Redis: an opaque cookie, encrypted tokens, one refresh for the fleet, one sign-out for all", async () => {
  const [a, b] = instances as [DemoServers, DemoServers];
  const cookie = await signInOverHttp(a.appUrl);
  const issued = [
    ...(await control.tokens({ kind: "access_token", status: "active" })),
    ...(await control.tokens({ kind: "refresh_token", status: "active" })),
  ].map((token) => token.token);
  expect(issued).toHaveLength(2);

  // The cookie is one JWE (of the session id), not a sealed token set; Redis holds the set, and not in the clear.
  expect(cookie).toMatch(/^pintoken\.session=[\w-]*(\.[\w-]*){4}$/);
  const entries = await redisEntries();
  expect(entries.size).toBe(1);
  for (const token of issued) {
    expect(cookie).not.toContain(token);
    for (const value of entries.values()) expect(value).not.toContain(token);
  }

  // The other instance knows the session: it reads the same store.
  const signedIn = await json(`${b.appUrl}/api/pinterest/session`, cookie);
  expect(signedIn.body).toMatchObject({ status: "authenticated" });
  const { expiresAt } = signedIn.body as { expiresAt: number };

  // Once the token is due, concurrent requests to both instances make one refresh at Pinterest between them.
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, expiresAt - (accessTokenTtlSeconds * 1000) / 2 - Date.now() + 1_000)),
  );
  expect(await refreshCalls()).toEqual([]);
  const checks = await Promise.all(
    Array.from({ length: 12 }, (_, i) => json(`${(i % 2 ? a : b).appUrl}/api/token-check`, cookie)),
  );
  expect(checks.map((check) => check.status)).toEqual(Array(12).fill(200));
  expect((await refreshCalls()).map((call) => call.status)).toEqual([200]);
  const renewed = new Set(checks.map((check) => check.body.expiresAt));
  expect(renewed.size).toBe(1);
  expect([...renewed][0]).toBeGreaterThan(expiresAt);
  // The rotated refresh token is the only live one, and both instances use it.
  expect(await control.tokens({ kind: "refresh_token", status: "active" })).toHaveLength(1);
  for (const instance of [a, b])
    expect((await json(`${instance.appUrl}/api/pinterest/session`, cookie)).body.expiresAt).toBe([...renewed][0]);

  // Signing out on one instance ends the session everywhere, and in Redis.
  expect((await json(`${b.appUrl}/api/pinterest/logout`, cookie, "POST")).body).toMatchObject({
    status: "unauthenticated",
    revoked: true,
  });
  expect((await json(`${a.appUrl}/api/pinterest/session`, cookie)).body).toMatchObject({ status: "unauthenticated" });
  expect((await json(`${a.appUrl}/api/token-check`, cookie)).status).toBe(401);
  expect((await redisEntries()).size).toBe(0);
  expect(await control.tokens({ kind: "refresh_token", status: "active" })).toEqual([]);
});
