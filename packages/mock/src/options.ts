import { apiBaseUrl, authorizationEndpoint } from "@pintoken/core";
import { checkWhole } from "./check.ts";
import { createClock, type MockClock } from "./clock.ts";
import {
  defaultLimits,
  defaultListLength,
  defaultTtlSeconds,
  type MockAccount,
  type MockClient,
  mockAccount,
  mockClient,
} from "./defaults.ts";
import { specSchemas } from "./operations.ts";
import { formatIssues, validate } from "./validate.ts";

/**
 * Caps on what a mock keeps, so a long run (a demo left running, a soak test) stays within bounded memory. Past a cap
 * the oldest entries are evicted; see {@link defaultLimits} for the defaults.
 *
 * @example
 * ```ts
 * const mock = createMockPinterest({ limits: { tokens: 1_000, calls: 100 } });
 * ```
 */
export interface MockLimits {
  /**
   * Codes and tokens kept. Past it, those that can no longer be used (expired, revoked, rotated, used) are forgotten
   * first, then the oldest, down to 90% of the cap; a forgotten token is answered like one the mock never issued.
   */
  readonly tokens?: number;
  /** Recorded calls kept; past it the oldest are dropped (`mock.calls.dropped` counts them). */
  readonly calls?: number;
}

/**
 * Options of {@link createMockPinterest}; every field is optional.
 *
 * @example
 * ```ts
 * let now = Date.parse("2026-01-01T00:00:00Z");
 * const mock = createMockPinterest({ now: () => now, ttlSeconds: { accessToken: 60 }, autoApprove: true });
 * now += 61_000; // every access token issued so far has expired
 * ```
 */
export interface MockPinterestOptions {
  /** Where the API is served. Default `https://api.pinterest.com/v5` (the spec's server, from `@pintoken/core`). */
  readonly apiBaseUrl?: string;
  /** Where the consent page is served. Default `https://www.pinterest.com/oauth/` (the spec's authorizationUrl). */
  readonly authorizationEndpoint?: string;
  /** Registered apps. Default `[mockClient]`. */
  readonly clients?: readonly MockClient[];
  /** Fields of the `Account` served by `GET /user_account`, merged over {@link mockAccount}. */
  readonly account?: MockAccount;
  /** Skip the consent page: the authorization endpoint redirects with a code at once (headless demos and tests). */
  readonly autoApprove?: boolean;
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Token lifetimes in seconds. Defaults: access 30 days, refresh 60 days, authorization code 10 minutes. */
  readonly ttlSeconds?: {
    readonly accessToken?: number;
    readonly refreshToken?: number;
    readonly authorizationCode?: number;
  };
  /**
   * Whether a refresh invalidates the refresh token it used (rotation). Default `true`. Either way every refresh
   * returns a new refresh token. ASSUMED: Pinterest does not document whether the old one keeps working.
   */
  readonly rotateRefreshTokens?: boolean;
  /** Caps on the tokens and calls the mock keeps. */
  readonly limits?: MockLimits;
  /**
   * How many items every list Pinterest pages with a `bookmark` holds (`GET /boards`, `GET /pins`, …), served
   * `page_size` at a time. Default {@link defaultListLength} (60: three pages at Pinterest's default page size of 25).
   */
  readonly listLength?: number;
}

/** Options with every default applied. */
export interface MockConfig {
  readonly apiBaseUrl: string;
  readonly authorizationEndpoint: string;
  readonly clients: readonly MockClient[];
  readonly account: Readonly<MockAccount>;
  readonly autoApprove: boolean;
  /** The mock's clock (the `now` option plus the offset tests set); `now` is `clock.now`. */
  readonly clock: MockClock & { reset(): void };
  readonly now: () => number;
  readonly ttlSeconds: {
    readonly accessToken: number;
    readonly refreshToken: number;
    readonly authorizationCode: number;
  };
  readonly rotateRefreshTokens: boolean;
  readonly limits: Required<MockLimits>;
  readonly listLength: number;
}

function checkUrl(name: string, value: string): string {
  if (!URL.canParse(value)) throw new TypeError(`${name} must be an absolute URL, got ${JSON.stringify(value)}.`);
  return value;
}

function checkTtl(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`ttlSeconds.${name} must be a positive whole number of seconds, got ${value}.`);
  }
  return value;
}

function checkClients(clients: readonly MockClient[]): readonly MockClient[] {
  if (clients.length === 0)
    throw new TypeError("clients is empty: register at least one app (or omit it for mockClient).");
  const seen = new Set<string>();
  for (const client of clients) {
    if (!client.clientId || client.clientId.includes(":")) {
      throw new TypeError(`clientId must be non-empty and contain no ":", got ${JSON.stringify(client.clientId)}.`);
    }
    if (seen.has(client.clientId)) throw new TypeError(`clientId ${client.clientId} is registered twice.`);
    seen.add(client.clientId);
    if (!client.clientSecret) throw new TypeError(`Client ${client.clientId} has an empty clientSecret.`);
    for (const uri of client.redirectUris) checkUrl(`Client ${client.clientId}: redirect URI`, uri);
  }
  return clients;
}

/** Applies defaults and rejects options that would make the mock misbehave, saying what to change. */
export function resolveOptions(options: MockPinterestOptions = {}): MockConfig {
  const account = { ...mockAccount, ...options.account };
  const issues = validate(specSchemas, "Account", account);
  if (issues.length > 0)
    throw new TypeError(`account does not match the spec's Account schema: ${formatIssues(issues)}`);
  const ttl = { ...defaultTtlSeconds, ...options.ttlSeconds };
  const limits = { ...defaultLimits, ...options.limits };
  const clock = createClock(options.now ?? Date.now);
  return {
    apiBaseUrl: checkUrl("apiBaseUrl", options.apiBaseUrl ?? apiBaseUrl).replace(/\/+$/, ""),
    authorizationEndpoint: checkUrl("authorizationEndpoint", options.authorizationEndpoint ?? authorizationEndpoint),
    clients: checkClients(options.clients ?? [mockClient]),
    account,
    autoApprove: options.autoApprove ?? false,
    clock,
    now: clock.now,
    ttlSeconds: {
      accessToken: checkTtl("accessToken", ttl.accessToken),
      refreshToken: checkTtl("refreshToken", ttl.refreshToken),
      authorizationCode: checkTtl("authorizationCode", ttl.authorizationCode),
    },
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    limits: {
      tokens: checkWhole("limits.tokens", limits.tokens, 1),
      calls: checkWhole("limits.calls", limits.calls, 1),
    },
    listLength: checkWhole("listLength", options.listLength ?? defaultListLength, 0),
  };
}
