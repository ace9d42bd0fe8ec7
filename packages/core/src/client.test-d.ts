import { describe, expectTypeOf, it } from "vitest";
import { createPinterestApi } from "./api.ts";
import type { PinterestScope, TokenSet } from "./index.ts";
import { createPinterestOAuth, createTokenManager, MemoryTokenStore, type PinterestApiError } from "./index.ts";

const oauth = createPinterestOAuth({ clientId: "id", clientSecret: "secret", redirectUri: "https://x/cb" });

describe("public types", () => {
  it("scopes are the spec's scopes", () => {
    expectTypeOf<"pins:read">().toMatchTypeOf<PinterestScope>();
    oauth.authorizationUrl({ scopes: ["pins:read", "boards:write_secret"], state: "s" });
    // @ts-expect-error: typo in a scope name
    oauth.authorizationUrl({ scopes: ["pins:reed"], state: "s" });
    // @ts-expect-error: state is required (CSRF protection)
    oauth.authorizationUrl({ scopes: ["pins:read"] });
  });

  it("grant methods return TokenSets", () => {
    expectTypeOf(oauth.exchangeCode).returns.resolves.toEqualTypeOf<TokenSet>();
    expectTypeOf(oauth.refresh).returns.resolves.toEqualTypeOf<TokenSet>();
    expectTypeOf(oauth.clientCredentials).returns.resolves.toEqualTypeOf<TokenSet>();
    expectTypeOf(oauth.revoke).returns.resolves.toBeVoid();
    // @ts-expect-error: refresh needs the refresh token
    void oauth.refresh({});
  });

  it("TokenSet is plain data with optional refresh fields", () => {
    expectTypeOf<TokenSet["expiresAt"]>().toEqualTypeOf<number>();
    expectTypeOf<TokenSet["refreshToken"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<TokenSet["responseType"]>().toEqualTypeOf<
      "authorization_code" | "refresh_token" | "client_credentials" | "integration_refresh"
    >();
  });

  it("the api client is typed by the spec", () => {
    const api = createPinterestApi({ manager: createTokenManager({ oauth, store: new MemoryTokenStore() }) });
    const get = () => api.GET("/user_account");
    type Data = Awaited<ReturnType<typeof get>>["data"];
    expectTypeOf<NonNullable<Data>["username"]>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error: not a path in the spec
    void api.GET("/pins/nope");
  });

  it("the manager returns strings and errors expose their details", () => {
    const manager = createTokenManager({ oauth, store: new MemoryTokenStore() });
    expectTypeOf(manager.getAccessToken).returns.resolves.toBeString();
    expectTypeOf<PinterestApiError["isInvalidGrant"]>().toBeBoolean();
    expectTypeOf<PinterestApiError["code"]>().toEqualTypeOf<import("./errors.ts").PintokenErrorCode>();
  });
});
