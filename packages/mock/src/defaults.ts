import type { components } from "@pintoken/core/api";
import { operation } from "./operations.ts";

/**
 * An app registered with the mock: the credentials it sends in HTTP Basic and the redirect URIs it may use.
 *
 * @example
 * ```ts
 * const client: MockClient = { clientId: "1500002", clientSecret: "s3cret", redirectUris: ["http://localhost:5173/callback"] };
 * createMockPinterest({ clients: [client] });
 * ```
 */
export interface MockClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Compared exactly (ASSUMED: Pinterest matches redirect URIs against the app's list without normalizing). */
  readonly redirectUris: readonly string[];
  /** Shown on the consent page; defaults to "App <clientId>". */
  readonly name?: string;
}

/**
 * The app every mock registers unless `clients` is given: use these credentials in tests and demos.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth } from "@pintoken/core";
 * import { mockClient } from "@pintoken/mock";
 * const { clientId, clientSecret, redirectUris } = mockClient;
 * const oauth = createPinterestOAuth({ clientId, clientSecret, redirectUri: redirectUris[0] });
 * ```
 */
export const mockClient = {
  clientId: "1500001",
  clientSecret: "mock-client-secret-not-for-production",
  redirectUris: ["http://localhost:3000/api/pinterest/callback", "http://127.0.0.1:3000/api/pinterest/callback"],
  name: "Pintoken Demo",
} as const satisfies MockClient;

/**
 * The `Account` that `GET /user_account` answers with (fields of the spec's `Account` schema; validated when the
 * mock is created).
 *
 * @example
 * ```ts
 * createMockPinterest({ account: { username: "my_shop", account_type: "BUSINESS" } });
 * ```
 */
export type MockAccount = components["schemas"]["Account"];

const accountExample = operation("user_account/get").responses["200"]?.example as MockAccount | undefined;

/**
 * The account every mock serves unless `account` overrides some of its fields: the spec's example with realistic
 * values.
 *
 * @example
 * ```ts
 * import { mockAccount } from "@pintoken/mock";
 * expect(account.username).toBe(mockAccount.username); // "pintoken_demo"
 * ```
 */
export const mockAccount: Readonly<MockAccount> = {
  ...accountExample,
  account_type: "BUSINESS",
  username: "pintoken_demo",
  about: "A demo account served by @pintoken/mock.",
  business_name: "Pintoken Demo",
  profile_image:
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'%3E%3Ccircle cx='32' cy='32' r='32' fill='%23e60023'/%3E%3Ctext x='32' y='42' font-family='sans-serif' font-size='28' fill='white' text-anchor='middle'%3EP%3C/text%3E%3C/svg%3E",
  website_url: "https://github.com/pintoken/pintoken",
  board_count: 12,
  pin_count: 248,
  follower_count: 1024,
  following_count: 87,
  monthly_views: 5321,
};

/**
 * Token lifetimes in seconds, as Pinterest documents them (override with `ttlSeconds`).
 *
 * @example
 * ```ts
 * clock.advance(defaultTtlSeconds.accessToken * 1000); // every access token issued before has expired
 * ```
 */
export const defaultTtlSeconds = {
  /** 30 days, Pinterest's `expires_in` for access tokens. */
  accessToken: 2_592_000,
  /** 60 days, the continuous refresh token's lifetime (renewed on every refresh). */
  refreshToken: 5_184_000,
  /** 10 minutes. ASSUMED: Pinterest does not document how long an authorization code lives. */
  authorizationCode: 600,
} as const;

/**
 * How much a mock keeps and accepts by default (override with `limits`). `bodyBytes` applies to the HTTP server
 * (`startMockPinterest`, `pintoken-mock`): a larger request body gets 413 before it is read.
 *
 * @example
 * ```ts
 * const server = await startMockPinterest({ limits: { ...defaultLimits, bodyBytes: 64 * 1024 } });
 * ```
 */
export const defaultLimits = {
  /** Codes and tokens kept (dead ones are forgotten first). */
  tokens: 10_000,
  /** Recorded calls kept (the oldest are dropped first). */
  calls: 1_000,
  /** The largest request body, 1 MiB. ASSUMED: Pinterest's own limit is undocumented; OAuth bodies are tiny. */
  bodyBytes: 1_048_576,
} as const;

/**
 * How many items each list Pinterest pages with a `bookmark` holds in a mock (override with `listLength`): three pages
 * at Pinterest's default `page_size` of 25.
 *
 * @example
 * ```ts
 * let count = 0;
 * for await (const board of paginate(api, "/boards")) count++;
 * expect(count).toBe(defaultListLength);
 * ```
 */
export const defaultListLength = 60;
