/**
 * The point of correcting Pinterest's spec: with the generated types, each grant's body has its own fields, and a
 * refresh response has a required refresh token. With upstream's spec as published, a token request is only
 * `{ grant_type }`.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { components, paths } from "./generated/openapi.gen.ts";

type Schemas = components["schemas"];
type TokenRequest = NonNullable<
  paths["/oauth/token"]["post"]["requestBody"]
>["content"]["application/x-www-form-urlencoded"];
type TokenResponse = paths["/oauth/token"]["post"]["responses"][200]["content"]["application/json"];

describe("generated token request types", () => {
  it("a code exchange body accepts code, redirect_uri and continuous_refresh", () => {
    expectTypeOf({
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: "https://x/cb",
    } as const).toMatchTypeOf<TokenRequest>();
    expectTypeOf({
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: "https://x/cb",
      continuous_refresh: true,
    } as const).toMatchTypeOf<TokenRequest>();
    expectTypeOf<Schemas["OauthAccessTokenRequestCode"]["code"]>().toEqualTypeOf<string>();
  });

  it("rejects bodies that Pinterest would reject", () => {
    // @ts-expect-error: a refresh body needs refresh_token
    const noRefreshToken: TokenRequest = { grant_type: "refresh_token" };
    // @ts-expect-error: a code exchange needs redirect_uri
    const noRedirect: TokenRequest = { grant_type: "authorization_code", code: "c" };
    // @ts-expect-error: client credentials need scope
    const noScope: TokenRequest = { grant_type: "client_credentials" };
    // @ts-expect-error: not a grant Pinterest knows
    const password: TokenRequest = { grant_type: "password", username: "u" };
    const stringly: TokenRequest = {
      grant_type: "authorization_code",
      code: "c",
      redirect_uri: "r",
      // @ts-expect-error: continuous_refresh is a boolean
      continuous_refresh: "yes",
    };
    void [noRefreshToken, noRedirect, noScope, password, stringly];
  });

  it("each variant's grant_type is its own single value", () => {
    expectTypeOf<Schemas["OauthAccessTokenRequestRefresh"]["grant_type"]>().toEqualTypeOf<"refresh_token">();
    expectTypeOf<
      Schemas["OauthAccessTokenRequestClientCredentials"]["grant_type"]
    >().toEqualTypeOf<"client_credentials">();
  });
});

describe("generated token response types", () => {
  it("a refresh response has a required refresh_token and expiry fields", () => {
    type Refresh = Schemas["OauthAccessTokenResponseRefresh"];
    expectTypeOf<Refresh["refresh_token"]>().toEqualTypeOf<string>();
    expectTypeOf<Refresh["refresh_token_expires_in"]>().toEqualTypeOf<number>();
    expectTypeOf<Refresh["refresh_token_expires_at"]>().toEqualTypeOf<number>();
    // @ts-expect-error: refresh_token is required in a refresh response
    const missing: Refresh = {
      access_token: "a",
      token_type: "bearer",
      expires_in: 1,
      scope: "s",
      response_type: "refresh_token",
    };
    void missing;
  });

  it("the response is a union narrowed by response_type, integration_refresh included", () => {
    expectTypeOf<TokenResponse["response_type"]>().toEqualTypeOf<
      "authorization_code" | "refresh_token" | "client_credentials" | "integration_refresh"
    >();
    const narrow = (r: TokenResponse) => (r.response_type === "integration_refresh" ? r.refresh_token : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<string | undefined>();
  });

  it("a code response's refresh token is optional, a client credentials response has none", () => {
    expectTypeOf<Schemas["OauthAccessTokenResponseCode"]["refresh_token"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Schemas["OauthAccessTokenResponseClientCredentials"]>().not.toHaveProperty("refresh_token");
  });
});
