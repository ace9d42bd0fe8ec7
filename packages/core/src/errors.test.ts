import { describe, expect, it } from "vitest";
import { credentials, fakeFetch, json, tokenBody, tokenSet } from "../test/helpers.ts";
import { createPinterestOAuth } from "./client.ts";
import {
  ConfigurationError,
  InvalidResponseError,
  OutcomeUnknownError,
  PinterestApiError,
  PinterestNetworkError,
  PinterestTimeoutError,
  PintokenError,
  ReauthorizationRequiredError,
  TokenStoreError,
} from "./errors.ts";

const redirectUri = "https://app.example.com/cb";
const noRetry = { ...credentials, redirectUri, retry: false } as const;

async function failure(promise: Promise<unknown>): Promise<PintokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PintokenError);
  return error as PintokenError;
}

describe("PinterestApiError", () => {
  it("an invalid refresh token (401, code 283) is an invalid grant with a message that says to authorize again", async () => {
    const fetch = fakeFetch(() =>
      json(401, { code: 283, message: "The authorization grant is invalid" }, { "x-pinterest-rid": "rid-123" }),
    );
    const error = await failure(createPinterestOAuth({ ...noRetry, fetch }).refresh({ refreshToken: "pinr_dead" }));
    expect(error).toBeInstanceOf(PinterestApiError);
    const api = error as PinterestApiError;
    expect(api).toMatchObject({
      code: "pinterest_api_error",
      status: 401,
      pinterestCode: 283,
      requestId: "rid-123",
      operation: "the token refresh",
    });
    expect(api.isInvalidGrant).toBe(true);
    expect(api.isRetryable).toBe(false);
    expect(api.message).toBe(
      "Pinterest rejected the token refresh (HTTP 401, code 283: The authorization grant is invalid) (x-pinterest-rid rid-123). " +
        "The refresh token is invalid, expired, revoked or rotated away: the user must authorize again.",
    );
  });

  it("a dead code says to start the authorization again", async () => {
    const fetch = fakeFetch(() => json(401, { code: 283, message: "The authorization grant is invalid" }));
    const error = await failure(createPinterestOAuth({ ...noRetry, fetch }).exchangeCode({ code: "used" }));
    expect(error.message).toMatch(/code is invalid, expired or used, or redirect_uri differs.*authorize again/);
  });

  it.each([
    [401, { code: 2, message: "Authentication failed." }, /Check clientId and clientSecret/, false],
    [403, { code: 29, message: "You are not permitted to access that resource." }, /access level or scopes/, false],
    [429, { code: 8, message: "Too many requests" }, /Rate limited \(Retry-After: 30 s\)/, true],
    [500, "<html>oops</html>", /HTTP 500\)\. Pinterest had a problem/, true],
    [400, { code: 1, message: "Invalid parameters." }, /Check the request parameters/, false],
  ])("HTTP %i → %j", async (status, body, message, retryable) => {
    const fetch = fakeFetch(() =>
      typeof body === "string" ? new Response(body, { status }) : json(status, body, { "retry-after": "30" }),
    );
    const error = (await failure(
      createPinterestOAuth({ ...noRetry, fetch }).clientCredentials({ scopes: ["pins:read"] }),
    )) as PinterestApiError;
    expect(error).toBeInstanceOf(PinterestApiError);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(error.isRetryable).toBe(retryable);
    expect(error.isInvalidGrant).toBe(false);
    if (typeof body === "object") expect(error.pinterestCode).toBe(body.code);
  });
});

describe("InvalidResponseError", () => {
  it.each([
    ["not JSON", new Response("<html>", { status: 200 }), /body is not JSON/],
    [
      "a missing field",
      json(200, { ...tokenBody("client_credentials"), expires_in: undefined }),
      /\/expires_in: is required but missing/,
    ],
    [
      "a wrong type",
      json(200, tokenBody("client_credentials", { expires_in: "2592000" })),
      /\/expires_in: expected integer, got string "2592000"/,
    ],
    [
      "an unknown response_type",
      json(200, tokenBody("client_credentials", { response_type: "magic" })),
      /\/response_type: expected one of "authorization_code"/,
    ],
    ["an array", json(200, []), /expected object, got array/],
  ])("a 200 with %s is rejected before a TokenSet is built", async (_, response, message) => {
    const error = await failure(
      createPinterestOAuth({ ...noRetry, fetch: fakeFetch(() => response) }).clientCredentials({
        scopes: ["pins:read"],
      }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.code).toBe("invalid_response");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was stored/);
  });

  it("never echoes a token from a malformed body", async () => {
    const body = tokenBody("refresh_token", {
      expires_in: "soon",
      access_token: "pina_SECRET_ACCESS_TOKEN_VALUE_1234567890",
      refresh_token: 42,
    });
    const error = await failure(
      createPinterestOAuth({ ...noRetry, fetch: fakeFetch(() => json(200, body)) }).refresh({ refreshToken: "pinr_x" }),
    );
    expect(error.message).not.toContain("SECRET_ACCESS");
    expect(JSON.stringify(error)).not.toContain("SECRET_ACCESS");
  });
});

describe("network, timeout and configuration errors", () => {
  it("a failed fetch becomes a PinterestNetworkError with the cause", async () => {
    const cause = new TypeError("fetch failed");
    const error = await failure(
      createPinterestOAuth({
        ...noRetry,
        fetch: fakeFetch(() => {
          throw cause;
        }),
      }).clientCredentials({ scopes: ["pins:read"] }),
    );
    expect(error).toBeInstanceOf(PinterestNetworkError);
    expect(error.code).toBe("network_error");
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ operation: "the client credentials grant" });
  });

  it("a refresh whose connection failed after sending is an OutcomeUnknownError over the network error", async () => {
    const cause = new TypeError("fetch failed");
    const error = await failure(
      createPinterestOAuth({
        ...noRetry,
        fetch: fakeFetch(() => {
          throw cause;
        }),
      }).refresh({ refreshToken: "r" }),
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error.code).toBe("outcome_unknown");
    expect(error).toMatchObject({ operation: "the token refresh" });
    expect(error.cause).toBeInstanceOf(PinterestNetworkError);
    expect((error.cause as Error).cause).toBe(cause);
  });

  it("timeout and configuration errors carry their codes", () => {
    expect(new PinterestTimeoutError("the token refresh", 10).code).toBe("timeout");
    expect(new ConfigurationError("x").code).toBe("configuration_error");
    expect(new ReauthorizationRequiredError("user-1", "why").code).toBe("reauthorization_required");
  });

  it("every class has its own name, is a PintokenError and an Error", () => {
    const errors = [
      new PinterestApiError("op", { status: 500 }),
      new PinterestNetworkError("op", new Error("x")),
      new PinterestTimeoutError("op", 1),
      new InvalidResponseError("op", 200, ["x"]),
      new ConfigurationError("x"),
      new ReauthorizationRequiredError("k", "x"),
      new TokenStoreError("k", "save", new Error("down")),
      new OutcomeUnknownError("op", "no answer"),
    ];
    expect(errors.map((e) => e.name)).toEqual([
      "PinterestApiError",
      "PinterestNetworkError",
      "PinterestTimeoutError",
      "InvalidResponseError",
      "ConfigurationError",
      "ReauthorizationRequiredError",
      "TokenStoreError",
      "OutcomeUnknownError",
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(PintokenError);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(new RegExp(`^${error.name}: `));
    }
  });

  it("TokenStoreError keeps unsaved tokens out of JSON and messages", () => {
    const unsaved = tokenSet(0, 1000, { accessToken: "pina_UNSAVED", refreshToken: "pinr_UNSAVED" });
    const error = new TokenStoreError("user-1", "save the refreshed tokens", new Error("redis down"), {
      tokenSet: unsaved,
    });
    expect(error.tokenSet).toEqual(unsaved);
    expect(JSON.stringify(error)).not.toContain("UNSAVED");
    expect(error.message).not.toContain("UNSAVED");
    expect(error.message).toMatch(/error\.tokenSet/);
  });

  it("TokenStoreError carries the store's reason: its own, or that of a store error it wraps", () => {
    const fromStore = new TokenStoreError("user-1", "read the token set", new Error("ECONNREFUSED"), {
      reason: "unavailable",
    });
    expect(fromStore.reason).toBe("unavailable");
    const wrapped = new TokenStoreError("user-1", "save the refreshed tokens", fromStore, { tokenSet: tokenSet(0, 1) });
    expect(wrapped).toMatchObject({ reason: "unavailable", operation: "save the refreshed tokens", cause: fromStore });
    expect(new TokenStoreError("user-1", "delete the token set", new Error("?")).reason).toBe("unknown");
  });

  it("ReauthorizationRequiredError says why for code", () => {
    expect(new ReauthorizationRequiredError("user-1", "nothing stored").reason).toBe("signed-out");
    const dead = new ReauthorizationRequiredError("user-1", "rejected", { reason: "invalid-grant" });
    expect(dead).toMatchObject({ reason: "invalid-grant", code: "reauthorization_required", key: "user-1" });
  });
});

describe("secrets", () => {
  it("the client and its errors never contain the client secret", async () => {
    const secret = credentials.clientSecret;
    const fetch = fakeFetch(
      () => json(401, { code: 2, message: "Authentication failed." }),
      () => {
        throw new TypeError("fetch failed");
      },
    );
    const oauth = createPinterestOAuth({ ...noRetry, fetch });
    expect(JSON.stringify(oauth)).not.toContain(secret);
    expect(String(Object.values(oauth))).not.toContain(secret);
    const errors = [
      await failure(oauth.exchangeCode({ code: "c" })),
      await failure(oauth.refresh({ refreshToken: "r" })),
    ];
    for (const error of errors) {
      expect(`${error.message} ${JSON.stringify(error)} ${String(error.cause)}`).not.toContain(secret);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(btoa(`${credentials.clientId}:${secret}`));
    }
  });
});
