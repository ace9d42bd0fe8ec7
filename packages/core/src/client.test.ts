import { describe, expect, it } from "vitest";
import { basicFor, credentials, fakeFetch, json, tokenBody } from "../test/helpers.ts";
import { createPinterestOAuth, createState } from "./client.ts";
import { ConfigurationError, InvalidResponseError } from "./errors.ts";

const now = 1_750_000_000_000;
const redirectUri = "https://app.example.com/api/pinterest/callback";

function client(fetch: typeof globalThis.fetch, extra: Record<string, unknown> = {}) {
  return createPinterestOAuth({
    ...credentials,
    redirectUri,
    fetch,
    clock: () => now,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

describe("authorizationUrl", () => {
  it("builds Pinterest's authorize URL with comma-joined scopes", () => {
    const oauth = createPinterestOAuth({ ...credentials, redirectUri });
    const url = new URL(
      oauth.authorizationUrl({ scopes: ["user_accounts:read", "pins:read", "pins:read"], state: "st-1" }),
    );
    expect(url.origin + url.pathname).toBe("https://www.pinterest.com/oauth/");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "1484362",
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "user_accounts:read,pins:read",
      state: "st-1",
    });
  });

  it("takes a redirect URI per call and a custom authorization endpoint", () => {
    const oauth = createPinterestOAuth({ ...credentials, authorizationEndpoint: "http://127.0.0.1:4010/oauth/" });
    const url = new URL(
      oauth.authorizationUrl({ scopes: ["boards:read"], state: "s", redirectUri: "http://localhost:3000/cb" }),
    );
    expect(url.host).toBe("127.0.0.1:4010");
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/cb");
  });

  it("rejects unknown scopes, no scopes, a missing state and a missing redirect URI with actionable messages", () => {
    const oauth = createPinterestOAuth(credentials);
    // @ts-expect-error: not a Pinterest scope
    expect(() => oauth.authorizationUrl({ scopes: ["pins:reed"], state: "s", redirectUri })).toThrow(
      /^scopes must be at least one known scope, not "pins:reed"\. Known scopes: ads:read, /,
    );
    expect(() => oauth.authorizationUrl({ scopes: [], state: "s", redirectUri })).toThrow(
      /^scopes must be at least one known scope\. Known scopes: /,
    );
    expect(() => oauth.authorizationUrl({ scopes: ["pins:read"], state: "", redirectUri })).toThrow(
      /state must be a non-empty string.*createState/,
    );
    expect(() => oauth.authorizationUrl({ scopes: ["pins:read"], state: "s" })).toThrow(ConfigurationError);
    expect(() => oauth.authorizationUrl({ scopes: ["pins:read"], state: "s" })).toThrow(
      /^redirectUri must be an absolute http\(s\) URL \(pass one here or to createPinterestOAuth\(\)\), got undefined\.$/,
    );
  });

  it("createState returns 43 unguessable base64url characters", () => {
    const states = new Set(Array.from({ length: 100 }, createState));
    expect(states.size).toBe(100);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("exchangeCode", () => {
  it("posts a form-encoded authorization_code grant with HTTP Basic client auth", async () => {
    const fetch = fakeFetch(() => json(200, tokenBody("authorization_code")));
    await client(fetch).exchangeCode({ code: "code-123" });
    const [request] = fetch.seen;
    expect(request?.method).toBe("POST");
    expect(request?.url.toString()).toBe("https://api.pinterest.com/v5/oauth/token");
    expect(request?.headers.get("authorization")).toBe(basicFor(credentials.clientId, credentials.clientSecret));
    expect(request?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(request?.text).toBe(
      `grant_type=authorization_code&code=code-123&redirect_uri=${encodeURIComponent(redirectUri)}`,
    );
  });

  it("sends continuous_refresh=true when configured, and a per-call redirect URI", async () => {
    const fetch = fakeFetch(() => json(200, tokenBody("authorization_code")));
    await client(fetch, { continuousRefresh: true }).exchangeCode({
      code: "c",
      redirectUri: "http://localhost:3000/cb",
    });
    expect(fetch.seen[0]?.form).toEqual({
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: "http://localhost:3000/cb",
      continuous_refresh: "true",
    });
  });

  it("normalizes the response into a TokenSet against the injected clock", async () => {
    const body = tokenBody("authorization_code");
    const tokens = await client(fakeFetch(() => json(200, body))).exchangeCode({ code: "c" });
    expect(tokens).toEqual({
      accessToken: body.access_token,
      tokenType: "bearer",
      scopes: ["user_accounts:read", "pins:read"],
      expiresAt: now + 2592000 * 1000,
      refreshToken: body.refresh_token,
      refreshTokenExpiresAt: now + 5184000 * 1000,
      responseType: "authorization_code",
      issuedAt: now,
    });
  });

  it("encodes client credentials as UTF-8 before base64", async () => {
    const fetch = fakeFetch(() => json(200, tokenBody("authorization_code")));
    await createPinterestOAuth({ clientId: "app", clientSecret: "sécret✓", redirectUri, fetch }).exchangeCode({
      code: "c",
    });
    const encoded = fetch.seen[0]?.headers.get("authorization")?.slice("Basic ".length) ?? "";
    const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe("app:sécret✓");
  });

  it("requires a code", async () => {
    const oauth = client(fakeFetch(() => json(200, tokenBody("authorization_code"))));
    await expect(oauth.exchangeCode({ code: "" })).rejects.toThrow(/code must be a non-empty string/);
  });
});

describe("refresh", () => {
  it("posts a refresh_token grant, with scopes comma-joined when narrowed", async () => {
    const fetch = fakeFetch(() => json(200, tokenBody("refresh_token")));
    const oauth = client(fetch);
    await oauth.refresh({ refreshToken: "pinr_old" });
    await oauth.refresh({ refreshToken: "pinr_old", scopes: ["pins:read", "boards:read"] });
    expect(fetch.seen[0]?.text).toBe("grant_type=refresh_token&refresh_token=pinr_old");
    expect(fetch.seen[1]?.form).toEqual({
      grant_type: "refresh_token",
      refresh_token: "pinr_old",
      scope: "pins:read,boards:read",
    });
  });

  it("returns the rotated refresh token and its new expiry", async () => {
    const body = tokenBody("refresh_token");
    const tokens = await client(fakeFetch(() => json(200, body))).refresh({ refreshToken: "pinr_old" });
    expect(tokens.refreshToken).toBe(body.refresh_token);
    expect(tokens.refreshToken).not.toBe("pinr_old");
    expect(tokens.refreshTokenExpiresAt).toBe(now + 5184000 * 1000);
    expect(tokens.responseType).toBe("refresh_token");
  });

  it("keeps the previous refresh token when the answer carries none (no response_type: no variant requires one)", async () => {
    const {
      refresh_token: _,
      refresh_token_expires_at: __,
      refresh_token_expires_in: ___,
      response_type: ____,
      ...body
    } = tokenBody("refresh_token");
    const previous = { refreshToken: "pinr_keep", refreshTokenExpiresAt: now + 1000 };
    const tokens = await client(fakeFetch(() => json(200, body))).refresh({ refreshToken: "pinr_keep", previous });
    expect(tokens.refreshToken).toBe("pinr_keep");
    expect(tokens.refreshTokenExpiresAt).toBe(now + 1000);
    expect(tokens.responseType).toBe("refresh_token");
  });

  it("rejects a refresh_token response without its required refresh token (the spec's Refresh variant)", async () => {
    const { refresh_token: _, ...body } = tokenBody("refresh_token");
    const error = await client(fakeFetch(() => json(200, body)))
      .refresh({ refreshToken: "pinr_old" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.issues).toEqual(["/refresh_token: is required but missing"]);
  });
});

describe("response variants", () => {
  it.each([
    ["authorization_code", true],
    ["refresh_token", true],
    ["integration_refresh", true],
    ["client_credentials", false],
  ] as const)("accepts a %s response", async (kind, hasRefresh) => {
    const body = tokenBody(kind);
    const tokens = await client(fakeFetch(() => json(200, body))).clientCredentials({ scopes: ["pins:read"] });
    expect(tokens.responseType).toBe(kind);
    expect(tokens.accessToken).toBe(body.access_token);
    expect(tokens.refreshToken !== undefined).toBe(hasRefresh);
  });

  it("reads refresh_token_expires_at (epoch seconds) when expires_in is absent", async () => {
    const { refresh_token_expires_in: _, ...body } = tokenBody("authorization_code", {
      refresh_token_expires_at: 1_760_000_000,
    });
    const tokens = await client(fakeFetch(() => json(200, body))).exchangeCode({ code: "c" });
    expect(tokens.refreshTokenExpiresAt).toBe(1_760_000_000_000);
  });

  it("infers the response type from the grant when Pinterest leaves response_type out", async () => {
    const { response_type: _, ...body } = tokenBody("authorization_code");
    const tokens = await client(fakeFetch(() => json(200, body))).exchangeCode({ code: "c" });
    expect(tokens.responseType).toBe("authorization_code");
  });

  it.each([0, -1, -2592000])(
    "rejects expires_in %i: a token that is already expired is never handed out",
    async (expiresIn) => {
      const oauth = client(fakeFetch(() => json(200, tokenBody("refresh_token", { expires_in: expiresIn }))));
      const error = await oauth.refresh({ refreshToken: "pinr_x" }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.issues).toEqual([`/expires_in: expected a positive number of seconds, got integer ${expiresIn}`]);
    },
  );

  it("rejects a refresh token that expires on arrival (refresh_token_expires_in ≤ 0)", async () => {
    const oauth = client(fakeFetch(() => json(200, tokenBody("refresh_token", { refresh_token_expires_in: 0 }))));
    const error = await oauth.refresh({ refreshToken: "pinr_x" }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.issues).toEqual(["/refresh_token_expires_in: expected a positive number of seconds, got integer 0"]);
  });

  it("accepts space-separated scopes too", async () => {
    const tokens = await client(
      fakeFetch(() => json(200, tokenBody("client_credentials", { scope: "pins:read boards:read" }))),
    ).clientCredentials({
      scopes: ["pins:read"],
    });
    expect(tokens.scopes).toEqual(["pins:read", "boards:read"]);
  });
});

describe("error answers", () => {
  it.each([
    ["rid-1\r\n", "rid-1"],
    [" \t", undefined],
  ])("quotes the x-pinterest-rid %j as %j", async (rid, requestId) => {
    const fetch = fakeFetch(() => json(400, { code: 1, message: "no" }, { "x-pinterest-rid": rid }));
    const error = await client(fetch, { retry: false })
      .refresh({ refreshToken: "pinr_x" })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 400, pinterestCode: 1, pinterestMessage: "no", requestId });
  });
});

describe("clientCredentials and revoke", () => {
  it("posts the client_credentials grant with the scopes", async () => {
    const fetch = fakeFetch(() => json(200, tokenBody("client_credentials")));
    const tokens = await client(fetch).clientCredentials({ scopes: ["ads:read", "user_accounts:read"] });
    expect(fetch.seen[0]?.form).toEqual({ grant_type: "client_credentials", scope: "ads:read,user_accounts:read" });
    expect(tokens.refreshToken).toBeUndefined();
  });

  it("revokes with a form body and Basic auth, with and without a hint", async () => {
    const fetch = fakeFetch(() => new Response(null, { status: 200 }));
    const oauth = client(fetch);
    await oauth.revoke({ token: "pinr_x", tokenTypeHint: "refresh_token" });
    await oauth.revoke({ token: "pina_y" });
    expect(fetch.seen.map((r) => r.url.pathname)).toEqual(["/v5/oauth/token/revoke", "/v5/oauth/token/revoke"]);
    expect(fetch.seen[0]?.form).toEqual({ token: "pinr_x", token_type_hint: "refresh_token" });
    expect(fetch.seen[1]?.form).toEqual({ token: "pina_y" });
    expect(fetch.seen[0]?.headers.get("authorization")).toBe(basicFor(credentials.clientId, credentials.clientSecret));
  });

  it("rejects an invalid token type hint", async () => {
    const oauth = client(fakeFetch(() => new Response(null)));
    // @ts-expect-error: not a hint Pinterest knows
    await expect(oauth.revoke({ token: "t", tokenTypeHint: "id_token" })).rejects.toThrow(
      /tokenTypeHint must be "access_token" or "refresh_token"/,
    );
  });
});

describe("configuration", () => {
  it.each([
    [{ clientSecret: "s" }, /clientId must be a non-empty string/],
    [{ clientId: "", clientSecret: "s" }, /clientId must be a non-empty string/],
    [{ clientId: "a:b", clientSecret: "s" }, /clientId must be a non-empty string without ':': your Pinterest app ID/],
    [{ clientId: "a" }, /clientSecret must be a non-empty string/],
    [{ clientId: "a", clientSecret: "s", redirectUri: "/callback" }, /redirectUri must be an absolute http\(s\) URL/],
    [{ clientId: "a", clientSecret: "s", baseUrl: "ftp://x" }, /baseUrl must be an absolute http\(s\) URL/],
    [{ clientId: "a", clientSecret: "s", timeoutMs: 0 }, /timeoutMs must be a number of milliseconds > 0/],
    [{ clientId: "a", clientSecret: "s", retry: { retries: 1.5 } }, /retry.retries must be a whole number/],
    [
      { clientId: "a", clientSecret: "s", retry: { maxDelayMs: "5" } },
      /^retry\.maxDelayMs must be a number of milliseconds ≥ 0, got string "5"\.$/,
    ],
    [{ clientId: "a", clientSecret: "s", fetch: "nope" }, /fetch must be a function/],
  ])("rejects %j", (options, message) => {
    expect(() => createPinterestOAuth(options as never)).toThrow(message);
  });

  it("never echoes the client secret in configuration errors", () => {
    let error: Error | undefined;
    try {
      createPinterestOAuth({ clientId: "a", clientSecret: "TOP-SECRET", redirectUri: "nope" });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/redirectUri/);
    expect(error?.message).not.toContain("TOP-SECRET");
  });

  it("resolves globalThis.fetch at request time (so msw and late polyfills work)", async () => {
    const original = globalThis.fetch;
    const oauth = createPinterestOAuth({ ...credentials, redirectUri });
    const fetch = fakeFetch(() => json(200, tokenBody("authorization_code")));
    globalThis.fetch = fetch;
    try {
      await oauth.exchangeCode({ code: "late" });
    } finally {
      globalThis.fetch = original;
    }
    expect(fetch.seen).toHaveLength(1);
  });
});
