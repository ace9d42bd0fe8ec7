/**
 * The core client as a Deno user gets it from this package, under Deno, against the real mock Pinterest on
 * loopback: every grant, refresh rotation, revocation, the typed errors, timeouts and aborts.
 */
import assert from "node:assert/strict";
import { mockAccount, oauthFor, refreshCalls, withMockPinterest } from "../test/mock-pinterest.ts";
import { createPinterestApi } from "./api.ts";
import {
  ConfigurationError,
  createAuthorizedFetch,
  createState,
  createTokenManager,
  InvalidResponseError,
  MemoryTokenStore,
  PinterestApiError,
  PinterestNetworkError,
  PinterestTimeoutError,
  ReauthorizationRequiredError,
} from "./index.ts";

Deno.test("the OAuth client under Deno against the mock Pinterest", async (t) => {
  await withMockPinterest({ autoApprove: true }, async (server) => {
    const oauth = oauthFor(server);

    await t.step("authorization code: the consent redirect carries a code that exchanges for tokens", async () => {
      const state = createState();
      const url = oauth.authorizationUrl({ scopes: ["user_accounts:read", "pins:read"], state });
      const consent = await fetch(url, { redirect: "manual" });
      await consent.body?.cancel();
      assert.equal(consent.status, 302);
      const callback = new URL(consent.headers.get("location") ?? "");
      assert.equal(callback.searchParams.get("state"), state);
      const tokens = await oauth.exchangeCode({ code: callback.searchParams.get("code") ?? "" });
      assert.equal(tokens.responseType, "authorization_code");
      assert.deepEqual([...tokens.scopes].sort(), ["pins:read", "user_accounts:read"]);
      assert.ok(tokens.refreshToken && tokens.expiresAt > Date.now());
      assert.equal(server.mock.inspectToken(tokens.accessToken)?.status, "active");
    });

    await t.step("refresh rotates the refresh token; the used one is dead", async () => {
      const { code } = server.mock.authorize({ scopes: ["user_accounts:read"] });
      const first = await oauth.exchangeCode({ code });
      const second = await oauth.refresh({ refreshToken: first.refreshToken ?? "" });
      assert.equal(second.responseType, "refresh_token");
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.equal(server.mock.inspectToken(first.refreshToken ?? "")?.status, "rotated");
      const reused = await oauth.refresh({ refreshToken: first.refreshToken ?? "" }).catch((error) => error);
      assert.ok(reused instanceof PinterestApiError && reused.isInvalidGrant, String(reused));
    });

    await t.step("client credentials: an app token that GET /user_account accepts", async () => {
      const app = await oauth.clientCredentials({ scopes: ["user_accounts:read"] });
      assert.equal(app.responseType, "client_credentials");
      assert.equal(app.refreshToken, undefined);
      const response = await fetch(`${server.apiBaseUrl}/user_account`, {
        headers: { Authorization: `Bearer ${app.accessToken}` },
      });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).username, mockAccount.username);
    });

    await t.step("revoke kills the grant", async () => {
      const tokens = await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code });
      await oauth.revoke({ token: tokens.refreshToken ?? "", tokenTypeHint: "refresh_token" });
      assert.equal(server.mock.inspectToken(tokens.refreshToken ?? "")?.status, "revoked");
    });

    await t.step(
      "the token manager refreshes a token that expires, and authorized fetch replays after a 401",
      async () => {
        const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user" });
        await manager.save(
          await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code }),
        );
        server.mock.expireAccessTokens(); // Pinterest says expired; the stored set does not know yet
        server.mock.calls.reset();
        const response = await createAuthorizedFetch(manager)(`${server.apiBaseUrl}/user_account`);
        assert.equal(response.status, 200);
        await response.body?.cancel();
        const statuses = server.mock.calls.all.map((call) => `${call.operationId} ${call.status}`);
        assert.deepEqual(statuses, ["user_account/get 401", "oauth/token 200", "user_account/get 200"]);
        assert.equal(refreshCalls(server).length, 1);
      },
    );

    await t.step("the typed API client from @pintoken/deno/api carries the manager's token", async () => {
      const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "api" });
      await manager.save(
        await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code }),
      );
      const api = createPinterestApi({ manager });
      const { data, error, response } = await api.GET("/user_account");
      assert.equal(response.status, 200, JSON.stringify(error));
      assert.equal(data?.username, mockAccount.username);
      const auth = server.mock.calls.for("user_account/get").at(-1)?.auth;
      assert.deepEqual(auth, { scheme: "bearer", token: (await manager.peek())?.accessToken });
    });

    await t.step("typed errors", async (t) => {
      await t.step("wrong client secret → PinterestApiError 401", async () => {
        const error = await oauthFor(server, { clientSecret: "wrong" })
          .clientCredentials({ scopes: ["user_accounts:read"] })
          .catch((e) => e);
        assert.ok(error instanceof PinterestApiError, String(error));
        assert.equal(error.status, 401);
        assert.equal(error.code, "pinterest_api_error");
        assert.ok(!error.message.includes("wrong"), "the secret never appears in a message");
      });

      await t.step("an unknown code → invalid grant, never retried", async () => {
        server.mock.calls.reset();
        const error = await oauth.exchangeCode({ code: "no-such-code" }).catch((e) => e);
        assert.ok(error instanceof PinterestApiError && error.isInvalidGrant, String(error));
        assert.equal(server.mock.calls.for("oauth/token").length, 1);
      });

      await t.step("429 with Retry-After, then 5xx: retried, then answered", async () => {
        server.mock.calls.reset();
        server.mock.scenario("oauth/token").rateLimit({ retryAfter: 0 });
        server.mock.scenario("oauth/token").serverError({ status: 503 });
        const app = await oauth.clientCredentials({ scopes: ["user_accounts:read"] });
        assert.equal(app.responseType, "client_credentials");
        assert.deepEqual(
          server.mock.calls.for("oauth/token").map((call) => call.status),
          [429, 503, 200],
        );
      });

      await t.step("5xx that lasts → PinterestApiError with isRetryable", async () => {
        const outage = server.mock.scenario("oauth/token").serverError({ status: 502 }).always();
        const error = await oauth.clientCredentials({ scopes: ["user_accounts:read"] }).catch((e) => e);
        outage.cancel();
        assert.ok(error instanceof PinterestApiError && error.status === 502 && error.isRetryable, String(error));
      });

      await t.step("dropped connections → PinterestNetworkError", async () => {
        const drops = server.mock.scenario("oauth/token").dropConnection().always();
        const error = await oauthFor(server, { retry: false })
          .clientCredentials({ scopes: ["user_accounts:read"] })
          .catch((e) => e);
        drops.cancel();
        assert.ok(error instanceof PinterestNetworkError, String(error));
        assert.equal(error.code, "network_error");
      });

      await t.step("a dead refresh token makes the manager ask for a new authorization", async () => {
        const tokens = await oauth.exchangeCode({
          code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code,
        });
        server.mock.revokeAllTokens();
        const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "revoked" });
        await manager.save({ ...tokens, expiresAt: Date.now() - 1_000 });
        await assert.rejects(manager.getAccessToken(), ReauthorizationRequiredError);
      });

      await t.step("bad options → ConfigurationError that names the option and the value", () => {
        /** A ConfigurationError whose message names what was wrong (the wording is core's to choose). */
        const names =
          (...parts: string[]) =>
          (error: unknown) =>
            error instanceof ConfigurationError &&
            error.code === "configuration_error" &&
            parts.every((part) => error.message.includes(part));
        assert.throws(() => oauthFor(server, { baseUrl: "not a url" }), names("baseUrl", "not a url"));
        assert.throws(
          () => oauth.authorizationUrl({ scopes: ["no:such_scope" as "pins:read"], state: "s" }),
          names("no:such_scope"),
        );
      });
    });

    await t.step("a slow answer → PinterestTimeoutError after timeoutMs", async () => {
      server.mock.scenario("oauth/token").slow(2_000);
      const error = await oauthFor(server, { timeoutMs: 100, retry: false })
        .clientCredentials({ scopes: ["user_accounts:read"] })
        .catch((e) => e);
      assert.ok(error instanceof PinterestTimeoutError, String(error));
    });

    await t.step("a caller's AbortSignal rejects with its reason, during an attempt", async () => {
      server.mock.scenario("oauth/token").slow(2_000);
      const controller = new AbortController();
      const reason = new Error("the user navigated away");
      const pending = oauth.clientCredentials({ scopes: ["user_accounts:read"], signal: controller.signal });
      setTimeout(() => controller.abort(reason), 50);
      assert.equal(await pending.catch((e) => e), reason);
      await assert.rejects(
        oauth.clientCredentials({ scopes: ["user_accounts:read"], signal: AbortSignal.abort(reason) }),
        (error) => error === reason,
      );
    });
  });
});

Deno.test("a 200 whose body is not a token response → InvalidResponseError (a proxy's error page)", async () => {
  await using proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    return new Response("<html>Bad gateway</html>", { status: 200, headers: { "content-type": "text/html" } });
  });
  const oauth = oauthFor({ apiBaseUrl: `http://127.0.0.1:${proxy.addr.port}/v5` }, { retry: false });
  const error = await oauth.clientCredentials({ scopes: ["user_accounts:read"] }).catch((e) => e);
  assert.ok(error instanceof InvalidResponseError, String(error));
});
