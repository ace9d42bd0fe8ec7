/**
 * The whole Pinterest OAuth flow with @pintoken/core, against the mock Pinterest from @pintoken/mock served over
 * real HTTP on 127.0.0.1: authorize URL → consent page → code exchange → API call → refresh with rotation →
 * revoke. Each step prints what happened; tokens are shown shortened, the client secret never.
 *
 * @module
 */
import {
  apiBaseUrl,
  createAuthorizedFetch,
  createPinterestOAuth,
  createState,
  createTokenManager,
  MemoryTokenStore,
  PinterestApiError,
  type PinterestScope,
  type TokenSet,
} from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";

/** What the quickstart found, for tests and callers. */
export interface QuickstartResult {
  authorizationUrl: string;
  username: string | undefined;
  firstRefreshToken: string;
  rotatedRefreshToken: string;
  oldRefreshTokenRejected: boolean;
}

const scopes: PinterestScope[] = ["user_accounts:read", "pins:read"];

/** `pina_1a2b…(64 chars)`: enough to tell tokens apart, not enough to use one. */
export function shorten(token: string | undefined): string {
  return token ? `${token.slice(0, 9)}…(${token.length} chars)` : "(none)";
}

function describe(tokens: TokenSet): string {
  return [
    `access token  ${shorten(tokens.accessToken)}, expires ${new Date(tokens.expiresAt).toISOString()}`,
    `refresh token ${shorten(tokens.refreshToken)}, expires ${tokens.refreshTokenExpiresAt ? new Date(tokens.refreshTokenExpiresAt).toISOString() : "?"}`,
    `scopes        ${tokens.scopes.join(", ")}`,
  ]
    .map((line) => `    ${line}`)
    .join("\n");
}

/** Follows the consent page as a browser would (GET the page, POST "Allow") and returns where it redirects. */
async function approveInBrowser(authorizationUrl: string, log: (line: string) => void): Promise<URL> {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 200)}`);
  log(`  consent page: HTTP ${page.status}, asks for ${scopes.join(" and ")}: clicking "Allow"`);
  const decision = await fetch(authorizationUrl, {
    method: "POST",
    body: new URLSearchParams({ decision: "allow" }),
    redirect: "manual",
  });
  const location = decision.headers.get("location");
  if (decision.status !== 302 || !location) throw new Error(`Approving did not redirect (HTTP ${decision.status}).`);
  return new URL(location);
}

/** Runs the flow, printing each step with `log`, and closes the mock server. */
export async function runQuickstart(log: (line: string) => void = console.log): Promise<QuickstartResult> {
  const server = await startMockPinterest({ port: 0 });
  try {
    log(`Mock Pinterest on ${server.url} (API ${server.apiBaseUrl}, consent page ${server.authorizationEndpoint})`);
    log(`  (the real API is ${apiBaseUrl}: only baseUrl and authorizationEndpoint change)`);

    const [redirectUri] = mockClient.redirectUris;
    const oauth = createPinterestOAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      redirectUri,
      baseUrl: server.apiBaseUrl,
      authorizationEndpoint: server.authorizationEndpoint,
    });

    log("\n1. Send the user to Pinterest with a fresh state:");
    const state = createState();
    const authorizationUrl = oauth.authorizationUrl({ scopes, state });
    log(`  ${authorizationUrl}`);

    log("\n2. The user approves; Pinterest redirects back with a code:");
    const callback = await approveInBrowser(authorizationUrl, log);
    log(
      `  redirected to ${callback.origin}${callback.pathname}?code=${shorten(callback.searchParams.get("code") ?? "")}&state=…`,
    );
    if (callback.searchParams.get("state") !== state) throw new Error("state does not match: refusing the callback.");
    log("  state matches the one we sent");

    log("\n3. Exchange the code for tokens:");
    const tokens = await oauth.exchangeCode({ code: callback.searchParams.get("code") ?? "" });
    log(describe(tokens));

    log("\n4. Keep them in a token manager and call the API with them:");
    const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "quickstart-user" });
    await manager.save(tokens);
    const authorizedFetch = createAuthorizedFetch(manager);
    const account = (await (await authorizedFetch(`${server.apiBaseUrl}/user_account`)).json()) as {
      username?: string;
    };
    log(`  GET /user_account → @${account.username}`);

    log(
      "\n5. The access token stops working early (here: expired by the mock): the next call refreshes once and replays:",
    );
    server.mock.expireAccessTokens();
    const again = await authorizedFetch(`${server.apiBaseUrl}/user_account`);
    const rotated = await manager.peek();
    log(`  GET /user_account → HTTP ${again.status} after a refresh`);
    log(
      `  refresh token rotated: ${shorten(tokens.refreshToken)} → ${shorten(rotated?.refreshToken)} (stored before use)`,
    );

    const oldRejected = await oauth.refresh({ refreshToken: tokens.refreshToken ?? "" }).then(
      () => false,
      (error: unknown) => error instanceof PinterestApiError && error.isInvalidGrant,
    );
    log(`  the old refresh token is now rejected by Pinterest: ${oldRejected ? "yes (code 283)" : "no"}`);

    log("\n6. Sign out: revoke at Pinterest and forget the tokens:");
    await manager.revoke();
    log(`  revoked; stored tokens: ${(await manager.peek()) ? "still there" : "none"}`);
    log(`\nDone. Pinterest saw ${server.mock.calls.length} requests.`);

    return {
      authorizationUrl,
      username: account.username,
      firstRefreshToken: tokens.refreshToken ?? "",
      rotatedRefreshToken: rotated?.refreshToken ?? "",
      oldRefreshTokenRejected: oldRejected,
    };
  } finally {
    await server.close();
  }
}
