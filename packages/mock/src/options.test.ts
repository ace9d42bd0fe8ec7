import { describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { mockClient } from "./defaults.ts";

describe("createMockPinterest options", () => {
  test("defaults: Pinterest's URLs, the default client, 30-day access and 60-day refresh tokens", () => {
    const mock = createMockPinterest({ now: () => 1_000_000 });
    expect(mock.apiBaseUrl).toBe("https://api.pinterest.com/v5");
    expect(mock.authorizationEndpoint).toBe("https://www.pinterest.com/oauth/");
    expect(mock.clients).toEqual([mockClient]);
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    expect(tokens.expires_in).toBe(2_592_000);
    expect(tokens.refresh_token_expires_in).toBe(5_184_000);
    expect(mock.inspectToken(tokens.access_token)?.expiresAt).toBe(1_000_000 + 2_592_000_000);
  });

  test("ttlSeconds and the URLs are configurable; a trailing slash on apiBaseUrl is dropped", () => {
    const mock = createMockPinterest({
      apiBaseUrl: "http://127.0.0.1:9999/v5/",
      ttlSeconds: { accessToken: 60, refreshToken: 120, authorizationCode: 5 },
      now: () => 0,
    });
    expect(mock.apiBaseUrl).toBe("http://127.0.0.1:9999/v5");
    const tokens = mock.issueTokens({ scopes: ["pins:read"] });
    expect([tokens.expires_in, tokens.refresh_token_expires_in]).toEqual([60, 120]);
    expect(mock.inspectToken(mock.authorize({ scopes: ["pins:read"] }).code)?.expiresAt).toBe(5_000);
  });

  test.each([
    [{ apiBaseUrl: "/v5" }, 'apiBaseUrl must be an absolute URL, got "/v5".'],
    [{ clients: [] }, "clients is empty: register at least one app (or omit it for mockClient)."],
    [{ clients: [mockClient, mockClient] }, "clientId 1500001 is registered twice."],
    [{ clients: [{ ...mockClient, clientId: "a:b" }] }, 'clientId must be non-empty and contain no ":", got "a:b".'],
    [{ clients: [{ ...mockClient, clientSecret: "" }] }, "Client 1500001 has an empty clientSecret."],
    [
      { clients: [{ ...mockClient, redirectUris: ["callback"] }] },
      'Client 1500001: redirect URI must be an absolute URL, got "callback".',
    ],
    [{ ttlSeconds: { accessToken: 0 } }, "ttlSeconds.accessToken must be a positive whole number of seconds, got 0."],
  ])("rejects %j with a message that says what to change", (options, message) => {
    expect(() => createMockPinterest(options)).toThrow(message);
  });

  test("issueTokens refuses unknown clients and scopes", () => {
    const mock = createMockPinterest();
    expect(() => mock.issueTokens({ scopes: ["pins:read"], clientId: "nope" })).toThrow(
      "No app with client_id nope is registered",
    );
    // @ts-expect-error: not a scope the spec declares
    expect(() => mock.issueTokens({ scopes: ["pins:all"] })).toThrow(
      /^scopes has scopes the spec does not declare: pins:all\./,
    );
  });
});
