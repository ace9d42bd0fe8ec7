import createClient, { type Client } from "openapi-fetch";
import {
  ConfigurationError,
  InvalidResponseError,
  isInvalidGrant,
  PinterestApiError,
  type PinterestErrorDetails,
} from "./errors.ts";
import type { components, paths } from "./generated/openapi.gen.ts";
import { schemas } from "./generated/schemas.gen.ts";
import { apiBaseUrl, authorizationEndpoint, type PinterestScope, pinterestScopes } from "./generated/spec.gen.ts";
import { type AttemptPolicy, parseRetryAfter, type RetryOptions, withRetries } from "./retry.ts";
import { type TokenResponseBody, type TokenResponseType, type TokenSet, toTokenSet } from "./token-set.ts";
import { formatIssues, validate } from "./validate.ts";

/** Options of {@link createPinterestOAuth}. */
export interface PinterestOAuthOptions {
  /** Your Pinterest app ID. */
  clientId: string;
  /** Your app secret. Sent only in the `Authorization: Basic` header of token calls; never logged or serialized. */
  clientSecret: string;
  /** The default redirect URI for `authorizationUrl()` and `exchangeCode()`; must be registered for the app. */
  redirectUri?: string | undefined;
  /** Pinterest API base URL. Default `https://api.pinterest.com/v5` (use a mock server's URL in tests). */
  baseUrl?: string | undefined;
  /** Where users approve access. Default `https://www.pinterest.com/oauth/`. */
  authorizationEndpoint?: string | undefined;
  /** A `fetch` to use instead of `globalThis.fetch` (which is looked up at each request, so msw works). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Time limit of each attempt, in ms. Default 10 000. */
  timeoutMs?: number | undefined;
  /** Retry policy for refresh, client credentials and revoke, or `false` for none. A code exchange is never retried. */
  retry?: RetryOptions | false | undefined;
  /** Send `continuous_refresh=true` on code exchange: needed by apps created before 2025-09-25. */
  continuousRefresh?: boolean | undefined;
  /** Current time in epoch ms (default `Date.now`): token expiry is computed against it. */
  clock?: (() => number) | undefined;
}

/** Parameters of {@link PinterestOAuth.authorizationUrl}. */
export interface AuthorizationUrlParams {
  /** Scopes to ask for (at least one). */
  scopes: readonly PinterestScope[];
  /** An unguessable value you keep (e.g. in a cookie) and compare on the callback; see {@link createState}. */
  state: string;
  /** Overrides the default redirect URI. */
  redirectUri?: string | undefined;
}

/** Parameters of {@link PinterestOAuth.exchangeCode}. */
export interface ExchangeCodeParams {
  /** The `code` query parameter Pinterest sent to the redirect URI. */
  code: string;
  /** The redirect URI used in `authorizationUrl()`, if not the default. */
  redirectUri?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Parameters of {@link PinterestOAuth.refresh}. */
export interface RefreshParams {
  refreshToken: string;
  /** Narrow the new access token to these scopes. */
  scopes?: readonly PinterestScope[] | undefined;
  /**
   * The token set being refreshed: if Pinterest's answer carries no new refresh token, the returned set keeps this
   * one's refresh token, so it is never lost.
   */
  previous?: Pick<TokenSet, "refreshToken" | "refreshTokenExpiresAt"> | undefined;
  signal?: AbortSignal | undefined;
}

/** Parameters of {@link PinterestOAuth.clientCredentials}. */
export interface ClientCredentialsParams {
  scopes: readonly PinterestScope[];
  signal?: AbortSignal | undefined;
}

/** Parameters of {@link PinterestOAuth.revoke}. */
export interface RevokeParams {
  token: string;
  tokenTypeHint?: "access_token" | "refresh_token" | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A Pinterest OAuth client; see {@link createPinterestOAuth}.
 *
 * @example
 * ```ts
 * const oauth: PinterestOAuth = createPinterestOAuth({ clientId, clientSecret, redirectUri });
 * const tokens = await oauth.refresh({ refreshToken });
 * ```
 */
export interface PinterestOAuth {
  /** The app ID this client uses. */
  readonly clientId: string;
  /** The default redirect URI, if one was configured. */
  readonly redirectUri: string | undefined;
  /** The clock (epoch ms) this client computes expiry with. */
  readonly clock: () => number;
  /** The URL to send the user's browser to, to approve access. */
  authorizationUrl(params: AuthorizationUrlParams): string;
  /** Trades the authorization code from the redirect for tokens. Never retried: codes are single use. */
  exchangeCode(params: ExchangeCodeParams): Promise<TokenSet>;
  /** Trades a refresh token for a new access token and a new (rotated) refresh token. Store both before use. */
  refresh(params: RefreshParams): Promise<TokenSet>;
  /** Gets an app token (no user) with the client credentials grant. */
  clientCredentials(params: ClientCredentialsParams): Promise<TokenSet>;
  /** Revokes an access or refresh token at Pinterest. */
  revoke(params: RevokeParams): Promise<void>;
  /**
   * The typed openapi-fetch client over every path in the spec, without authentication. For user calls, pass
   * `createAuthorizedFetch(manager)` as `fetch` to a client of your own, or add `createAuthMiddleware(manager)`.
   */
  readonly api: Client<paths>;
}

type TokenRequestBody = components["schemas"]["OauthAccessTokenRequest"];
type TokenRevocationBody = components["schemas"]["TokenRevocationRequest"];

/** The body as JSON, or the raw text when it is not JSON (error pages, proxies). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const formContentType = "application/x-www-form-urlencoded";
const knownScopes: ReadonlySet<string> = new Set(pinterestScopes);

function fail(message: string): never {
  throw new ConfigurationError(message);
}

function requireText(name: string, value: unknown, hint: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(`${name} must be a non-empty string: ${hint}.`);
  return value;
}

function requireUrl(name: string, value: string, hint: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} must be an absolute URL (${hint}), got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    fail(`${name} must be an http(s) URL (${hint}), got ${JSON.stringify(value)}.`);
  return value;
}

function requireScopes(scopes: unknown, what: string): string {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    fail(`${what} needs at least one scope, e.g. ["user_accounts:read"]. Known scopes: ${pinterestScopes.join(", ")}.`);
  }
  const unknown = scopes.filter((s) => !knownScopes.has(s));
  if (unknown.length) {
    fail(
      `${what}: unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")}. Known scopes: ${pinterestScopes.join(", ")}.`,
    );
  }
  return [...new Set(scopes as string[])].join(",");
}

/** base64 of UTF-8 bytes (btoa alone rejects characters above U+00FF). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Form-encodes a token request body, leaving out absent fields and writing booleans as `true`/`false`. */
function formBody(body: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (value !== undefined) form.append(name, String(value));
  }
  return form.toString();
}

function resolvePolicy(options: PinterestOAuthOptions): AttemptPolicy {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0))
    fail(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  const retry = options.retry === false ? { retries: 0 } : (options.retry ?? {});
  const policy = {
    timeoutMs,
    retries: retry.retries ?? 2,
    minDelayMs: retry.minDelayMs ?? 500,
    maxDelayMs: retry.maxDelayMs ?? 8_000,
    maxRetryAfterMs: retry.maxRetryAfterMs ?? 60_000,
  };
  if (!Number.isInteger(policy.retries) || policy.retries < 0 || policy.retries > 10) {
    fail(`retry.retries must be a whole number from 0 to 10, got ${String(policy.retries)}.`);
  }
  for (const name of ["minDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    if (typeof policy[name] !== "number" || policy[name] < 0)
      fail(`retry.${name} must be a number ≥ 0, got ${String(policy[name])}.`);
  }
  return policy;
}

/** What to do about a failed call, by operation and answer. */
function hintFor(operation: string, details: PinterestErrorDetails, invalidGrant: boolean): string {
  if (invalidGrant && operation === "the code exchange") {
    return "The code is invalid, expired or already used, or redirect_uri differs from the one sent to the authorize URL. Start the authorization again.";
  }
  if (invalidGrant)
    return "The refresh token is invalid, expired, revoked or already rotated away. The user must authorize again.";
  if (details.status === 401) return "Check clientId and clientSecret (they go in HTTP Basic auth).";
  if (details.status === 403)
    return "The app is not allowed to do this: check its access level and the scopes it asks for.";
  if (details.status === 429) {
    const wait =
      details.retryAfterMs === undefined ? "" : ` (Retry-After: ${Math.ceil(details.retryAfterMs / 1000)} s)`;
    return `Rate limited${wait}: retry later.`;
  }
  if (details.status >= 500) return "Pinterest had a problem: retry later.";
  return "Check the request parameters.";
}

function errorDetails(response: Response, body: unknown, now: number): PinterestErrorDetails {
  const parsed = validate(schemas, "Error", body).length === 0 ? (body as components["schemas"]["Error"]) : undefined;
  return {
    status: response.status,
    pinterestCode: parsed?.code,
    pinterestMessage: parsed?.message,
    requestId: response.headers.get("x-pinterest-rid") ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now),
  };
}

function apiError(operation: string, response: Response, body: unknown, now: number): PinterestApiError {
  const details = errorDetails(response, body, now);
  return new PinterestApiError(operation, details, hintFor(operation, details, isInvalidGrant(details)));
}

/**
 * A random `state` for the authorization request: 32 bytes from `crypto.getRandomValues`, base64url-encoded.
 *
 * @example
 * ```ts
 * const state = createState(); // keep it in an HttpOnly cookie, compare it on the callback
 * ```
 */
export function createState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Creates a Pinterest OAuth client: authorize URL, code exchange, refresh with rotation, client credentials,
 * revoke, and the typed API client. Every token response is checked against the spec before a `TokenSet` is built.
 *
 * @example
 * ```ts
 * const oauth = createPinterestOAuth({
 *   clientId: process.env.PINTEREST_CLIENT_ID!,
 *   clientSecret: process.env.PINTEREST_CLIENT_SECRET!,
 *   redirectUri: "https://example.com/api/pinterest/callback",
 * });
 * const url = oauth.authorizationUrl({ scopes: ["user_accounts:read", "pins:read"], state: createState() });
 * // …after the redirect back:
 * const tokens = await oauth.exchangeCode({ code });
 * ```
 */
export function createPinterestOAuth(options: PinterestOAuthOptions): PinterestOAuth {
  if (options === null || typeof options !== "object")
    fail("createPinterestOAuth needs an options object with clientId and clientSecret.");
  const clientId = requireText(
    "clientId",
    options.clientId,
    "your Pinterest app ID from https://developers.pinterest.com/apps/",
  );
  if (clientId.includes(":"))
    fail(
      "clientId cannot contain ':' (it is sent as HTTP Basic user name). Use the app ID exactly as Pinterest shows it.",
    );
  const authorization = `Basic ${base64(`${clientId}:${requireText("clientSecret", options.clientSecret, "your Pinterest app secret")}`)}`;
  const redirectUri =
    options.redirectUri === undefined
      ? undefined
      : requireUrl("redirectUri", options.redirectUri, "one registered for your app");
  const baseUrl = requireUrl(
    "baseUrl",
    options.baseUrl ?? apiBaseUrl,
    "the Pinterest API, e.g. https://api.pinterest.com/v5",
  ).replace(/\/+$/, "");
  const authorizeAt = requireUrl(
    "authorizationEndpoint",
    options.authorizationEndpoint ?? authorizationEndpoint,
    "e.g. https://www.pinterest.com/oauth/",
  );
  if (options.fetch !== undefined && typeof options.fetch !== "function")
    fail("fetch must be a function compatible with globalThis.fetch.");
  if (options.clock !== undefined && typeof options.clock !== "function")
    fail("clock must be a function returning epoch milliseconds.");
  const clock = options.clock ?? (() => Date.now());
  const policy = resolvePolicy(options);
  const continuousRefresh = options.continuousRefresh === true;
  const userFetch = options.fetch;

  const api = createClient<paths>({
    baseUrl,
    fetch: (request: Request) => (userFetch ?? globalThis.fetch)(request),
  });

  /**
   * POSTs a form to a token endpoint with the client's Basic auth and reads the whole body. Token calls use `fetch`
   * directly rather than `api` (openapi-fetch), whose extra `Request` per call costs more than the call's own work;
   * their bodies are still typed by the generated schemas.
   */
  async function postForm(
    path: "/oauth/token" | "/oauth/token/revoke",
    body: TokenRequestBody | TokenRevocationBody,
    signal: AbortSignal,
  ): Promise<{ response: Response; text: string }> {
    const response = await (userFetch ?? globalThis.fetch)(`${baseUrl}${path}`, {
      method: "POST",
      headers: { Authorization: authorization, "Content-Type": formContentType, Accept: "application/json" },
      body: formBody(body),
      signal,
    });
    return { response, text: await response.text() };
  }

  function redirectFor(given: string | undefined, what: string): string {
    if (given !== undefined) return requireUrl("redirectUri", given, "one registered for your app");
    if (redirectUri === undefined)
      fail(`${what} needs a redirectUri: pass one, or set redirectUri in createPinterestOAuth().`);
    return redirectUri;
  }

  async function tokenCall(
    operation: string,
    body: TokenRequestBody,
    grant: TokenResponseType,
    {
      signal,
      retry,
      previous,
    }: { signal?: AbortSignal | undefined; retry: boolean; previous?: RefreshParams["previous"] },
  ): Promise<TokenSet> {
    return withRetries(
      operation,
      policy,
      async (attemptSignal) => {
        const { response, text } = await postForm("/oauth/token", body, attemptSignal);
        if (!response.ok) throw apiError(operation, response, parseJson(text), clock());
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new InvalidResponseError(operation, response.status, [
            `the body is not JSON (content-type ${response.headers.get("content-type") ?? "none"})`,
          ]);
        }
        const issues = validate(schemas, "OauthAccessTokenResponse", json);
        if (issues.length) throw new InvalidResponseError(operation, response.status, formatIssues(issues).split("; "));
        return toTokenSet(json as TokenResponseBody, grant, clock(), previous);
      },
      { signal, retry },
    );
  }

  return {
    clientId,
    redirectUri,
    clock,
    api,

    authorizationUrl(params) {
      const state = requireText(
        "state",
        params?.state,
        "generate one with createState() and keep it to compare on the callback",
      );
      const url = new URL(authorizeAt);
      url.searchParams.set("client_id", clientId);
      url.searchParams.set("redirect_uri", redirectFor(params.redirectUri, "authorizationUrl()"));
      url.searchParams.set("response_type", "code");
      url.searchParams.set("scope", requireScopes(params.scopes, "authorizationUrl()"));
      url.searchParams.set("state", state);
      return url.toString();
    },

    async exchangeCode(params) {
      const code = requireText("code", params?.code, "pass the code query parameter from the redirect");
      const body: TokenRequestBody = {
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectFor(params.redirectUri, "exchangeCode()"),
        ...(continuousRefresh ? { continuous_refresh: true } : {}),
      };
      return tokenCall("the code exchange", body, "authorization_code", { signal: params.signal, retry: false });
    },

    async refresh(params) {
      const refreshToken = requireText(
        "refreshToken",
        params?.refreshToken,
        "pass the refresh token from the stored TokenSet",
      );
      const body: TokenRequestBody = {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        ...(params.scopes === undefined ? {} : { scope: requireScopes(params.scopes, "refresh()") }),
      };
      const previous = params.previous ?? { refreshToken };
      return tokenCall("the token refresh", body, "refresh_token", { signal: params.signal, retry: true, previous });
    },

    async clientCredentials(params) {
      const body: TokenRequestBody = {
        grant_type: "client_credentials",
        scope: requireScopes(params?.scopes, "clientCredentials()"),
      };
      return tokenCall("the client credentials grant", body, "client_credentials", {
        signal: params.signal,
        retry: true,
      });
    },

    async revoke(params) {
      const token = requireText("token", params?.token, "pass the access or refresh token to revoke");
      const hint = params.tokenTypeHint;
      if (hint !== undefined && hint !== "access_token" && hint !== "refresh_token") {
        fail(`tokenTypeHint must be "access_token" or "refresh_token", got ${JSON.stringify(hint)}.`);
      }
      await withRetries(
        "the token revocation",
        policy,
        async (signal) => {
          const body: TokenRevocationBody = hint === undefined ? { token } : { token, token_type_hint: hint };
          const { response, text } = await postForm("/oauth/token/revoke", body, signal);
          if (!response.ok) throw apiError("the token revocation", response, parseJson(text), clock());
        },
        { signal: params.signal, retry: true },
      );
    },
  };
}
