/**
 * `@pintoken/redis` as the server-side store of `@pintoken/next`: two app instances (two servers behind a load
 * balancer, each with its own Redis connection) run the real route handler, `Request → Response`, against a real
 * `redis-server` and the mock Pinterest over HTTP. The browser's cookie holds only an opaque session id.
 */
import { createKeyRing } from "@pintoken/core/crypto";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { createPinterestAuth, type PinterestAuth } from "@pintoken/next";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectClient, type TestClient, useRedis } from "../test/redis-server.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
const cookieSecret = "the-session-cookie-secret-0123456789abcdef";
const storeSecret = "the-token-store-secret-0123456789abcdefghij";
const origin = "http://localhost:3000";
const basePath = "/api/pinterest";
const prefix = "app:";
const accessTokenTtlMs = 3_600_000;

let pinterest: MockPinterestServer;
const clients: TestClient[] = [];
const logged: string[] = [];
/** How far the apps' clock is ahead of the mock's: set past the access token's lifetime to make it due. */
let skewMs = 0;
let instances: [App, App];

beforeAll(async () => {
  pinterest = await startMockPinterest({ autoApprove: true, ttlSeconds: { accessToken: accessTokenTtlMs / 1000 } });
  clients.push(...(await Promise.all([connectClient(redis.server.url), connectClient(redis.server.url)])));
  instances = [app(clients[0] as TestClient), app(clients[1] as TestClient)];
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await pinterest?.close();
});
beforeEach(() => {
  skewMs = 0;
  logged.length = 0;
  pinterest.mock.reset();
});

type App = (request: Request) => Promise<Response>;

/**
 * One server instance: the pintoken routes under `basePath`, and `/me`, a page of the app that calls Pinterest with
 * `getAccessToken()` (as a Route Handler or Server Component would).
 */
function app(client: TestClient): App {
  const auth: PinterestAuth = createPinterestAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    secret: cookieSecret,
    redirectUri: `${origin}${basePath}/callback`,
    baseUrl: pinterest.apiBaseUrl,
    authorizationEndpoint: pinterest.authorizationEndpoint,
    store: new RedisTokenStore({ client, prefix, secret: storeSecret }),
    clock: () => Date.now() + skewMs,
    env: {},
    logger: { warn: (m) => logged.push(`warn: ${m}`), error: (m) => logged.push(`error: ${m}`) },
  });
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(`${basePath}/`)) return auth.handler(request);
    const session = auth.forRequest(request);
    const accessToken = await session.getAccessToken();
    const answer = await fetch(`${pinterest.apiBaseUrl}/user_account`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const { username } = (await answer.json()) as { username: string };
    return session.applyCookies(Response.json({ username }, { status: answer.status }));
  };
}

/** Every response the apps sent in a test, for the leak checks. */
const responses: Response[] = [];

async function send(instance: App, path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.method === "POST") headers.set("origin", origin);
  const response = await instance(new Request(`${origin}${path}`, { ...init, headers }));
  responses.push(response.clone());
  return response;
}

/** `name=value` of the cookies a response sets (those it deletes left out). */
function cookiesOf(response: Response): Map<string, string> {
  const set = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    if (!/Max-Age=0/.test(line)) set.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return set;
}

/** A real sign-in through instance A: /login → the mock's consent page (auto-approved) → /callback. */
async function signIn(instance: App): Promise<string> {
  const login = await send(instance, `${basePath}/login?returnTo=/me`);
  const state = cookiesOf(login).get("pintoken.state");
  const consent = await fetch(login.headers.get("location") as string, { redirect: "manual" });
  const back = new URL(consent.headers.get("location") as string);
  const callback = await send(instance, `${back.pathname}${back.search}`, { cookie: `pintoken.state=${state}` });
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/me");
  const session = cookiesOf(callback).get("pintoken.session");
  expect(session).toBeDefined();
  return `pintoken.session=${session}`;
}

/**
 * The claims inside a session cookie, decrypted here independently of `@pintoken/next`: a compact JWE (`dir`,
 * `A256GCM`) under the key `@pintoken/core/crypto` derives from the secret for the purpose `cookie`.
 */
async function claimsOf(cookie: string): Promise<Record<string, unknown>> {
  const [header = "", encryptedKey, iv = "", ciphertext = "", tag = ""] = cookie.split("=")[1]?.split(".") ?? [];
  const protectedHeader = JSON.parse(Buffer.from(header, "base64url").toString());
  expect(protectedHeader).toMatchObject({ alg: "dir", enc: "A256GCM" });
  expect(encryptedKey).toBe("");
  const key = await createKeyRing(cookieSecret, "cookie").find(protectedHeader.kid);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: Buffer.from(iv, "base64url"), additionalData: new TextEncoder().encode(header) },
    key?.key as CryptoKey,
    Buffer.concat([Buffer.from(ciphertext, "base64url"), Buffer.from(tag, "base64url")]),
  );
  return JSON.parse(new TextDecoder().decode(plain));
}

const refreshCalls = () =>
  pinterest.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");

/** Every token the mock ever issued, and the secrets: none may appear in any response. */
async function expectNothingLeaked(): Promise<void> {
  const secrets = [
    ...pinterest.mock.listTokens().map((t) => t.token),
    mockClient.clientSecret,
    cookieSecret,
    storeSecret,
  ];
  await Promise.all(
    responses.splice(0).map(async (response) => {
      const shown = [await response.text(), ...[...response.headers].map(([name, value]) => `${name}: ${value}`)];
      for (const secret of secrets) for (const text of [...shown, ...logged]) expect(text).not.toContain(secret);
    }),
  );
}

describe("@pintoken/next in store mode on RedisTokenStore, two instances sharing one Redis", () => {
  it("50 parallel requests needing a refresh, spread over both instances: exactly one refresh at Pinterest", async () => {
    const [a, b] = instances;
    const cookie = await signIn(a);
    const { sid, ...rest } = await claimsOf(cookie);
    // The cookie holds an opaque session id (and the cookie's own expiry data), never a token.
    expect(Object.keys(rest).sort()).toEqual(["aud", "exp", "iat", "x"]);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokenKey = `${prefix}token:session:${sid}`;
    const first = await redis.client.hGetAll(tokenKey);
    expect(first.data).toMatch(/^v1\./); // encrypted at rest
    const [issued] = pinterest.mock.listTokens({ kind: "refresh_token", status: "active" });

    skewMs = accessTokenTtlMs + 1_000; // the apps' clock: the access token has expired
    pinterest.mock.scenario({ grantType: "refresh_token" }).slow(500); // every request is surely waiting while it runs
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(i % 2 === 0 ? a : b, "/me", { cookie })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    for (const answer of answers) expect(await answer.clone().json()).toEqual({ username: "pintoken_demo" });

    const refreshes = refreshCalls();
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.form?.refresh_token).toBe(issued?.token);
    const rotated = refreshes[0]?.body as { access_token: string; refresh_token: string };
    const apiCalls = pinterest.mock.calls.for("user_account/get");
    expect(apiCalls).toHaveLength(50);
    const bearers = new Set(apiCalls.map((c) => (c.auth?.scheme === "bearer" ? c.auth.token : c.auth?.scheme)));
    expect([...bearers]).toEqual([rotated.access_token]);
    // Redis holds the rotated refresh token, live at Pinterest; the one it replaced is rotated away.
    const stored = await new RedisTokenStore({ client: redis.client, prefix, secret: storeSecret }).get(
      `session:${sid}`,
    );
    expect(stored?.tokenSet.refreshToken).toBe(rotated.refresh_token);
    expect(pinterest.mock.inspectToken(rotated.refresh_token)?.status).toBe("active");
    expect(pinterest.mock.inspectToken(issued?.token as string)?.status).toBe("rotated");
    // A renewed cookie carries the same session id, and still no token.
    for (const answer of answers) {
      const renewed = cookiesOf(answer).get("pintoken.session");
      if (renewed) expect((await claimsOf(`pintoken.session=${renewed}`)).sid).toBe(sid);
    }
    expect(await redis.client.keys(`${prefix}lock:*`)).toEqual([]);
    await expectNothingLeaked();
  }, 60_000);

  it("logout on one instance while the other refreshes: it waits, revokes the rotated refresh token, and deletes the Redis key", async () => {
    const [a, b] = instances;
    const cookie = await signIn(a);
    const { sid } = await claimsOf(cookie);
    const tokenKey = `${prefix}token:session:${sid}`;
    expect(await redis.client.exists(tokenKey)).toBe(1);

    pinterest.mock.scenario({ grantType: "refresh_token" }).slow(1_000);
    const refreshing = send(a, `${basePath}/refresh`, { method: "POST", cookie });
    for (let i = 0; !(await redis.client.exists(`${prefix}lock:session:${sid}`)); i++) {
      if (i > 2_000) throw new Error("the refresh never took its lock");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const logout = await send(b, `${basePath}/logout`, { method: "POST", cookie });
    expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
    expect((await refreshing).status).toBe(200);

    // The token revoked is the one the refresh produced (the one before it was rotated away): nothing stays live.
    const rotated = (refreshCalls()[0]?.body as { refresh_token?: string } | undefined)?.refresh_token;
    expect(rotated).toBeDefined();
    expect(pinterest.mock.calls.for("token/revoke").map((c) => c.form?.token)).toEqual([rotated]);
    expect(pinterest.mock.listTokens({ status: "active" })).toEqual([]);
    expect(await redis.client.exists(tokenKey)).toBe(0);
    expect(await redis.client.keys(`${prefix}*${sid}`)).toEqual([]);
    expect(cookiesOf(logout).has("pintoken.session")).toBe(false);
    expect(logout.headers.getSetCookie().join()).toMatch(/pintoken\.session=;.*Max-Age=0/);

    // The old cookie, replayed on either instance, finds no session: sessions end on the server.
    for (const instance of instances) {
      expect(await (await send(instance, `${basePath}/session`, { cookie })).json()).toEqual({
        status: "unauthenticated",
      });
    }
    await expectNothingLeaked();
  }, 60_000);
});
