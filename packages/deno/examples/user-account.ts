/**
 * Gets an app token with the client credentials grant, keeps it in Deno KV, and calls `GET /user_account` with it.
 * The token manager renews the token when it is about to expire, and once after a 401; a second run reuses the
 * stored token.
 *
 * ```sh
 * PINTEREST_CLIENT_ID=… PINTEREST_CLIENT_SECRET=… \
 *   deno run --unstable-kv --allow-env --allow-net=api.pinterest.com examples/user-account.ts
 * ```
 *
 * Against the mock Pinterest instead (no Pinterest app needed): start it with `pnpm exec pintoken-mock --port 4010`,
 * then run with `PINTEREST_API_BASE_URL=http://127.0.0.1:4010/v5`, `PINTEREST_CLIENT_ID=1500001`,
 * `PINTEREST_CLIENT_SECRET=mock-client-secret-not-for-production` and `--allow-net=127.0.0.1`.
 * `PINTOKEN_KV_PATH` picks the KV file (default: Deno's KV for this script).
 *
 * @module
 */
import { apiBaseUrl, createPinterestOAuth, createTokenManager, DenoKvTokenStore } from "@pintoken/deno";
import { createPinterestApi } from "@pintoken/deno/api";

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) {
    console.error(`Set ${name} (your Pinterest app's credentials are at https://developers.pinterest.com/apps/).`);
    Deno.exit(2);
  }
  return value;
}

const oauth = createPinterestOAuth({
  clientId: required("PINTEREST_CLIENT_ID"),
  clientSecret: required("PINTEREST_CLIENT_SECRET"),
  baseUrl: Deno.env.get("PINTEREST_API_BASE_URL") ?? apiBaseUrl,
});
const store = await DenoKvTokenStore.open(Deno.env.get("PINTOKEN_KV_PATH"));
try {
  const manager = createTokenManager({ oauth, store, key: "app" });
  if (!(await manager.peek())) {
    await manager.save(await oauth.clientCredentials({ scopes: ["user_accounts:read"] }));
    console.log("Got an app token with the client credentials grant and stored it in Deno KV.");
  }
  // Typed from Pinterest's OpenAPI description; adds the bearer token, renews it when due or once after a 401.
  const api = createPinterestApi({ manager });
  const { data: account, error, response } = await api.GET("/user_account");
  if (!account) throw new Error(`GET /user_account answered ${response.status}: ${JSON.stringify(error)}`);
  console.log(`GET /user_account: @${account.username} (${account.account_type} account).`);
} finally {
  store.close();
}
