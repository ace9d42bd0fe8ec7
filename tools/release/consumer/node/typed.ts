// The installed declarations, type-checked with moduleResolution bundler and nodenext (one tsconfig each).
import {
  createPinterestOAuth,
  createTokenManager,
  MemoryTokenStore,
  type PinterestScope,
  type TokenSet,
} from "@pintoken/core";
import { type components, createPinterestApi, paginate } from "@pintoken/core/api";
import { createKeyRing } from "@pintoken/core/crypto";

const oauth = createPinterestOAuth({ clientId: "1500001", clientSecret: "not-a-real-secret" });
const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user-1" });
const scopes: PinterestScope[] = ["user_accounts:read", "pins:read"];
export const url: string = oauth.authorizationUrl({ scopes, state: "s" });
export const token: Promise<string> = manager.getAccessToken();
export const keys = createKeyRing(["a-secret-of-at-least-32-characters!!"], "consumer");
export type Account = components["schemas"]["Account"];

export async function boardNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const board of paginate(createPinterestApi({ manager }), "/boards")) names.push(board.name);
  return names;
}

export async function username(): Promise<string | undefined> {
  const { data } = await createPinterestApi({ manager }).GET("/user_account");
  return data?.username;
}

// Declarations that failed to resolve would be `any`: these lines expect errors, so they fail the check instead.
// @ts-expect-error: "pins:everything" is not a scope Pinterest declares
export const wrongScope: PinterestScope = "pins:everything";
// @ts-expect-error: a TokenSet needs accessToken and expiresAt
export const partial: TokenSet = { tokenType: "bearer", scopes: [], responseType: "refresh_token" };
// @ts-expect-error: the API client knows Pinterest's paths
createPinterestApi().GET("/no-such-path");
