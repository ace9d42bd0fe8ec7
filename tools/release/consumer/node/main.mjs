/**
 * A plain Node ESM program, as a user writes it with the installed @pintoken/core: the OAuth client, a token manager
 * over the memory store, and the typed API client (openapi-fetch, a declared dependency) calling a loopback server.
 * Prints one JSON line for the test.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import { createPinterestOAuth, createState, createTokenManager, MemoryTokenStore } from "@pintoken/core";
import { createPinterestApi } from "@pintoken/core/api";
import { createKeyRing } from "@pintoken/core/crypto";

const server = createServer((request, response) => {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ username: "installed", authorization: request.headers.authorization }));
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address();

const oauth = createPinterestOAuth({
  clientId: "1500001",
  clientSecret: "not-a-real-secret",
  redirectUri: "http://127.0.0.1:3000/api/pinterest/callback",
  baseUrl: `http://127.0.0.1:${port}/v5`,
});
const url = new URL(oauth.authorizationUrl({ scopes: ["user_accounts:read"], state: createState() }));
const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user-1" });
const now = Date.now();
await manager.save({
  accessToken: "pina_installed",
  tokenType: "bearer",
  scopes: ["user_accounts:read"],
  expiresAt: now + 3_600_000,
  refreshToken: "pinr_installed",
  responseType: "authorization_code",
  issuedAt: now,
});
const { data } = await createPinterestApi({ manager }).GET("/user_account");
createKeyRing(["a-secret-of-at-least-32-characters!!"], "consumer");
server.close();
process.stdout.write(
  `${JSON.stringify({ authorize: url.origin + url.pathname, scope: url.searchParams.get("scope"), account: data })}\n`,
);
