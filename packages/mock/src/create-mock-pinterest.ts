import type { HttpHandler } from "msw";
import type { MockClock } from "./clock.ts";
import { type Authorization, approve, checkAuthorizationRequest } from "./consent/consent.ts";
import type { MockClient } from "./defaults.ts";
import { apiHandlers, consentHandlers, methodNotAllowedHandlers } from "./handlers.ts";
import { type IssuedToken, IssuedTokens, type TokenInfo, type TokenKind, type TokenStatus } from "./issued-tokens.ts";
import type { OperationId } from "./operations.ts";
import { type MockPinterestOptions, resolveOptions } from "./options.ts";
import { type CallRecorder, createRecorder } from "./recorder.ts";
import { mockRoutes } from "./routes.ts";
import type { MockRuntime } from "./runtime.ts";
import { type PendingScenario, type ScenarioBuilder, ScenarioQueue, type ScenarioTarget } from "./scenarios.ts";
import { describeScopeProblem, type PinterestScope, parseScopeList } from "./scopes.ts";
import { type IssuedTokenResponse, tokenResponse, tokenSetOf } from "./token-response.ts";

/**
 * What {@link MockPinterest.authorize} needs; the client and redirect URI default to the first registered.
 *
 * @example
 * ```ts
 * const options: AuthorizeOptions = { scopes: ["user_accounts:read"], state: "s1", redirectUri: mockClient.redirectUris[1] };
 * const { code } = mock.authorize(options);
 * ```
 */
export interface AuthorizeOptions {
  readonly scopes: readonly PinterestScope[];
  readonly state?: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
}

/**
 * A mock Pinterest: msw handlers for every operation of the spec and the consent page, with the state behind them.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * const mock = createMockPinterest();
 * const server = setupServer(...mock.handlers);
 * mock.scenario("oauth/token").rateLimit({ retryAfter: 1 }).times(2);
 * ```
 */
export interface MockPinterest {
  /** msw handlers: every operation under `apiBaseUrl`, and the consent page (GET and POST) at `authorizationEndpoint`. */
  readonly handlers: HttpHandler[];
  readonly apiBaseUrl: string;
  readonly authorizationEndpoint: string;
  /** The registered apps. */
  readonly clients: readonly MockClient[];
  /** Every call the mock answered. */
  readonly calls: CallRecorder;
  /**
   * Queues failures for the next calls of one operation (or of every operation when omitted), optionally of one grant
   * type of `oauth/token`. A scenario is played only for a request whose credentials the mock accepts.
   */
  scenario(target?: OperationId | ScenarioTarget): ScenarioBuilder;
  /** Scenarios queued and not used up yet (`"*"` targets every operation). */
  readonly pendingScenarios: readonly PendingScenario[];
  /** Approves an authorization without the consent page, as the user's "Allow" would; throws if the request is invalid. */
  authorize(options: AuthorizeOptions): Authorization;
  /**
   * Issues user tokens directly, as a code exchange would (skips consent and exchange in tests that do not need them):
   * the token response, and the same tokens as `@pintoken/core`'s `TokenSet` in `tokenSet`.
   */
  issueTokens(options: { readonly scopes: readonly PinterestScope[]; readonly clientId?: string }): IssuedTokenResponse;
  /** What the mock knows about a token or code, or undefined if it never issued it. */
  inspectToken(token: string): TokenInfo | undefined;
  /** Makes every access token issued so far expire now; returns how many were still valid. */
  expireAccessTokens(): number;
  /** Makes every refresh token issued so far expire now; returns how many were still valid. */
  expireRefreshTokens(): number;
  /** Makes every authorization code issued so far expire now; returns how many were still valid. */
  expireAuthorizationCodes(): number;
  /** Revokes every access and refresh token; returns how many were active. */
  revokeAllTokens(): number;
  /**
   * Revokes one token as Pinterest's revoke endpoint does (a refresh token takes every token of its grant with it),
   * e.g. to play "the user removed the app". Returns what the token is now, or undefined if the mock never issued it.
   */
  revokeToken(token: string): TokenInfo | undefined;
  /** The codes and tokens the mock keeps, oldest first, optionally only of one kind and/or status. */
  listTokens(filter?: {
    readonly kind?: TokenKind | undefined;
    readonly status?: TokenStatus | undefined;
  }): IssuedToken[];
  /** The mock's clock: move it to expire tokens without waiting. */
  readonly clock: MockClock;
  /** Forgets every token, code, queued scenario and recorded call, and sets the clock back (offset 0). */
  reset(): void;
}

function findClient(clients: readonly MockClient[], clientId: string | undefined): MockClient {
  const client = clientId === undefined ? clients[0] : clients.find((c) => c.clientId === clientId);
  if (!client)
    throw new Error(
      `No app with client_id ${clientId} is registered (registered: ${clients.map((c) => c.clientId).join(", ")}).`,
    );
  return client;
}

/**
 * Creates a mock Pinterest. Use its `handlers` with msw (`setupServer`, `setupWorker`), or serve it over HTTP with
 * `startMockPinterest` from `@pintoken/mock/server`.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { createMockPinterest, mockClient } from "@pintoken/mock";
 *
 * const mock = createMockPinterest({ autoApprove: true });
 * const server = setupServer(...mock.handlers);
 * server.listen({ onUnhandledRequest: "error" });
 * const { code } = mock.authorize({ scopes: ["user_accounts:read"], state: "s1" });
 * // exchange `code` at https://api.pinterest.com/v5/oauth/token with mockClient's credentials
 * ```
 */
export function createMockPinterest(options?: MockPinterestOptions): MockPinterest {
  return createMock(options).mock;
}

/**
 * Creates a mock and hands back the state behind it too, for the package's other entries (the HTTP server and its
 * control API, the test helper); users get only the mock, from {@link createMockPinterest}.
 */
export function createMock(options?: MockPinterestOptions): { mock: MockPinterest; runtime: MockRuntime } {
  const config = resolveOptions(options);
  const tokens = new IssuedTokens(config);
  const scenarios = new ScenarioQueue();
  const { recorder, record } = createRecorder(config.limits.calls);
  const routes = mockRoutes(config);
  const runtime: MockRuntime = { config, tokens, scenarios, record, routes };
  const mock: MockPinterest = {
    handlers: [...apiHandlers(runtime), ...consentHandlers(runtime), ...methodNotAllowedHandlers(routes)],
    apiBaseUrl: config.apiBaseUrl,
    authorizationEndpoint: config.authorizationEndpoint,
    clients: config.clients,
    calls: recorder,
    scenario: (target) => scenarios.builder(target),
    get pendingScenarios() {
      return scenarios.pending;
    },
    authorize({ scopes, state, clientId, redirectUri }) {
      const client = findClient(config.clients, clientId);
      const query = new URLSearchParams({ client_id: client.clientId, response_type: "code", scope: scopes.join(",") });
      const target = redirectUri ?? client.redirectUris[0];
      if (target !== undefined) query.set("redirect_uri", target);
      if (state !== undefined) query.set("state", state);
      const check = checkAuthorizationRequest(config, query);
      if (check.kind === "error-page") throw new Error(check.message);
      if (check.kind === "redirect-error") throw new Error(check.description);
      return approve(runtime, check);
    },
    issueTokens({ scopes, clientId }) {
      const client = findClient(config.clients, clientId);
      const parsed = parseScopeList(scopes.join(","));
      const problem = describeScopeProblem("scopes", parsed);
      if (problem) throw new Error(problem);
      const access = tokens.createAccessToken(client.clientId, parsed.scopes, { grantType: "authorization_code" });
      const refresh = tokens.createRefreshToken(client.clientId, parsed.scopes, access.grantId);
      const tokenSet = tokenSetOf("authorization_code", access, refresh);
      return { ...tokenResponse(config, "authorization_code", access, refresh), tokenSet };
    },
    inspectToken(token) {
      const found = tokens.find(token);
      return found && tokens.info(found);
    },
    expireAccessTokens: () => tokens.expireAll("access_token"),
    expireRefreshTokens: () => tokens.expireAll("refresh_token"),
    expireAuthorizationCodes: () => tokens.expireAll("authorization_code"),
    revokeAllTokens: () => tokens.revokeAll(),
    revokeToken(token) {
      const found = tokens.find(token);
      if (!found) return undefined;
      tokens.revoke(found);
      return tokens.info(found);
    },
    listTokens: ({ kind, status } = {}) =>
      tokens
        .list()
        .filter((t) => (kind === undefined || t.kind === kind) && (status === undefined || t.status === status)),
    clock: config.clock,
    reset() {
      tokens.clear();
      scenarios.clear();
      recorder.reset();
      config.clock.reset();
    },
  };
  return { mock, runtime };
}
