/**
 * One refresh over loopback: raw `fetch` against pintoken and the peer libraries, side by side in one run, against a
 * minimal `node:http` server (lib/token-server.ts) so that the server's own cost does not hide the clients'.
 */
import { OAuth2Client } from "@badgateway/oauth2-client";
import { createPinterestOAuth, createTokenManager, MemoryTokenStore } from "@pintoken/core";
import * as oauth4 from "oauth4webapi";
import { compare, report } from "./lib/compare.ts";
import { startTokenServer } from "./lib/token-server.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const batch = Number(process.env.BENCH_BATCH ?? 200);
const clientId = "1484362";
const clientSecret = "bench-client-secret";

export async function benchRefresh(): Promise<void> {
  const server = await startTokenServer();
  try {
    const tokenUrl = `${server.apiBaseUrl}/oauth/token`;
    const basic = `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
    const oauth = createPinterestOAuth({ clientId, clientSecret, baseUrl: server.apiBaseUrl });
    const as: oauth4.AuthorizationServer = { issuer: server.apiBaseUrl, token_endpoint: tokenUrl };
    const client: oauth4.Client = { client_id: clientId };
    const clientAuth = oauth4.ClientSecretBasic(clientSecret);
    const badgateway = new OAuth2Client({
      server: server.apiBaseUrl,
      clientId,
      clientSecret,
      tokenEndpoint: tokenUrl,
      authenticationMethod: "client_secret_basic",
    });
    const refreshToken = "pinr_bench";
    const results = await compare(
      [
        {
          name: "raw fetch (no validation)",
          async run() {
            const response = await fetch(tokenUrl, {
              method: "POST",
              headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
            });
            if (!response.ok) throw new Error(`raw fetch: HTTP ${response.status}`);
            return response.json();
          },
        },
        { name: "pintoken oauth.refresh()", run: () => oauth.refresh({ refreshToken }) },
        {
          name: "oauth4webapi refreshTokenGrantRequest",
          async run() {
            const response = await oauth4.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, {
              [oauth4.allowInsecureRequests]: true,
            });
            return oauth4.processRefreshTokenResponse(as, client, response);
          },
        },
        {
          name: "@badgateway/oauth2-client refreshToken",
          run: () => badgateway.refreshToken({ accessToken: "pina_bench", refreshToken, expiresAt: null }),
        },
      ],
      { rounds, batch },
    );
    report(
      `One refresh over HTTP on loopback (median of ${rounds} rounds × ${batch} calls; target: pintoken ≤ ×1.10 and below both peers)`,
      results,
      "raw fetch (no validation)",
    );

    const store = new MemoryTokenStore();
    const manager = createTokenManager({ oauth, store, key: "bench" });
    await manager.save(await oauth.refresh({ refreshToken }));
    const hot = await compare(
      [
        { name: "store.get() (the floor)", run: () => store.get("bench") },
        { name: "manager.getAccessToken() (fresh token)", run: () => manager.getAccessToken() },
      ],
      { rounds, batch: batch * 20 },
    );
    report(`Access token hot path (median of ${rounds} rounds × ${batch * 20} calls)`, hot, "store.get() (the floor)");
  } finally {
    await server.close();
  }
}
