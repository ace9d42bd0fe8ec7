/**
 * `pnpm bench`: what @pintoken/core costs on top of the network, measured side by side in one run against the
 * mock Pinterest on 127.0.0.1 (loopback only), in interleaved rounds so that machine noise hits every contender
 * alike. Reports medians and ratios, not absolute targets.
 *
 * 1. One refresh (continuous refresh: each call uses the refresh token the previous call returned):
 *    raw fetch (form body, Basic auth, JSON.parse, no checks) vs pintoken's `oauth.refresh()` (openapi-fetch,
 *    spec validation, TokenSet) vs oauth4webapi's `refreshTokenGrantRequest` + `processRefreshTokenResponse`.
 * 2. `manager.getAccessToken()` when the token is fresh (the hot path of every API call) vs reading the store.
 */
import { createPinterestOAuth, createTokenManager, MemoryTokenStore, type PinterestScope } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";
import * as oauth4 from "oauth4webapi";

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const batch = Number(process.env.BENCH_BATCH ?? 40);
const scopes: PinterestScope[] = ["user_accounts:read"];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Contender {
  name: string;
  run: () => Promise<void>;
}

/** Runs every contender's batch once per round, rotating the order, and returns the median time per call. */
async function compare(contenders: Contender[], perBatch: number): Promise<Map<string, number>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const c of contenders) for (let i = 0; i < 3; i++) await c.run(); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    for (const contender of order) {
      const started = performance.now();
      for (let i = 0; i < perBatch; i++) await contender.run();
      samples.get(contender.name)?.push((performance.now() - started) / perBatch);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

function report(title: string, results: Map<string, number>, baseline: string, unit: "ms" | "µs") {
  const base = results.get(baseline) ?? Number.NaN;
  console.log(`\n${title}`);
  for (const [name, perCall] of results) {
    const shown = unit === "ms" ? `${perCall.toFixed(3)} ms` : `${(perCall * 1000).toFixed(2)} µs`;
    console.log(`  ${name.padEnd(44)} ${shown.padStart(12)}   ×${(perCall / base).toFixed(2)} of ${baseline}`);
  }
}

const server = await startMockPinterest({ port: 0 });
try {
  const [redirectUri] = mockClient.redirectUris;
  const { clientId, clientSecret } = mockClient;
  const oauth = createPinterestOAuth({ clientId, clientSecret, redirectUri, baseUrl: server.apiBaseUrl });
  const newRefreshToken = async () => {
    const { code } = server.mock.authorize({ scopes, redirectUri });
    return (await oauth.exchangeCode({ code })).refreshToken ?? "";
  };

  // Each contender follows its own rotation chain.
  let rawToken = await newRefreshToken();
  let pintokenToken = await newRefreshToken();
  let oauth4Token = await newRefreshToken();
  const basic = `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
  const as: oauth4.AuthorizationServer = { issuer: server.url, token_endpoint: `${server.apiBaseUrl}/oauth/token` };
  const client: oauth4.Client = { client_id: clientId };
  const clientAuth = oauth4.ClientSecretBasic(clientSecret);

  const refresh = await compare(
    [
      {
        name: "raw fetch (no validation)",
        async run() {
          const response = await fetch(`${server.apiBaseUrl}/oauth/token`, {
            method: "POST",
            headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: rawToken }),
          });
          if (!response.ok) throw new Error(`raw fetch: HTTP ${response.status}`);
          rawToken = ((await response.json()) as { refresh_token: string }).refresh_token;
        },
      },
      {
        name: "pintoken oauth.refresh()",
        async run() {
          pintokenToken = (await oauth.refresh({ refreshToken: pintokenToken })).refreshToken ?? "";
        },
      },
      {
        name: "oauth4webapi refreshTokenGrantRequest",
        async run() {
          const response = await oauth4.refreshTokenGrantRequest(as, client, clientAuth, oauth4Token, {
            [oauth4.allowInsecureRequests]: true,
          });
          const result = await oauth4.processRefreshTokenResponse(as, client, response);
          oauth4Token = result.refresh_token ?? "";
        },
      },
    ],
    batch,
  );
  report(
    `One refresh over HTTP on loopback (median of ${rounds} rounds × ${batch} calls)`,
    refresh,
    "raw fetch (no validation)",
    "ms",
  );

  const store = new MemoryTokenStore();
  const manager = createTokenManager({ oauth, store, key: "bench" });
  await manager.save(await oauth.refresh({ refreshToken: await newRefreshToken() }));
  const hot = await compare(
    [
      {
        name: "store.get() (the floor)",
        async run() {
          await store.get("bench");
        },
      },
      {
        name: "manager.getAccessToken() (fresh token)",
        async run() {
          await manager.getAccessToken();
        },
      },
    ],
    batch * 100,
  );
  report(
    `Access token hot path (median of ${rounds} rounds × ${batch * 100} calls)`,
    hot,
    "store.get() (the floor)",
    "µs",
  );
  console.log(`\nMock calls made: ${server.mock.calls.length}. Node ${process.version}.`);
} finally {
  await server.close();
}
