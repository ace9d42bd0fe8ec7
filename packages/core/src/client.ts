import { base64url } from "./base64url.ts";
import { callable, httpUrl, need, resolvePolicy, scopeList, text } from "./client-options.ts";
import type { components } from "./generated/oauth.gen.ts";
import { apiBaseUrl, authorizationEndpoint, type PinterestScope } from "./generated/spec.gen.ts";
import { type AttemptsOptions, type RetryOptions, withRetries } from "./retry.ts";
import { readAnswer } from "./token-response.ts";
import type { TokenResponseType, TokenSet } from "./token-set.ts";

/**
 * Options of {@link createPinterestOAuth}.
 *
 * @example
 * ```ts
 * const oauth = createPinterestOAuth({
 *   clientId: process.env.PINTEREST_CLIENT_ID!,
 *   clientSecret: process.env.PINTEREST_CLIENT_SECRET!,
 *   redirectUri: "https://example.com/api/pinterest/callback",
 *   timeoutMs: 5_000,
 *   retry: { retries: 2 },
 * });
 * ```
 */
export interface PinterestOAuthOptions {
  /**
   * Your Pinterest app ID. With the secret it makes the `Authorization: Basic` header of token calls: plain base64 of
   * the UTF-8 bytes of `clientId:clientSecret`, as Pinterest's docs show (not form-encoded first as RFC 6749 §2.3.1
   * has it; app IDs and secrets are letters and digits, where both encodings agree). An ID containing `:` is refused,
   * since the first `:` separates ID from secret.
   */
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
  /**
   * Time limit of each attempt of client credentials and revoke, in ms, and how long the token manager's callers wait
   * for a refresh under way (the refresh itself goes on). A code exchange or refresh once sent is not cut short by
   * it: see `answerTimeoutMs`. Default 10 000.
   */
  timeoutMs?: number | undefined;
  /**
   * How long a code exchange or refresh, once sent, waits for Pinterest's answer, in ms. Such a request is never cut
   * short sooner: Pinterest may already have used the code or rotated the refresh token, and its answer holds the
   * only copy of the new tokens. After this, its outcome is unknown (`OutcomeUnknownError`). Default 120 000.
   */
  answerTimeoutMs?: number | undefined;
  /**
   * Retry policy for refresh, client credentials and revoke, or `false` for none. A code exchange is never retried; a
   * refresh only after an HTTP error answer or a connection that failed before the request was written (then Pinterest
   * cannot have used the refresh token).
   */
  retry?: RetryOptions | false | undefined;
  /** Send `continuous_refresh=true` on code exchange: needed by apps created before 2025-09-25. */
  continuousRefresh?: boolean | undefined;
  /** Current time in epoch ms (default `Date.now`): token expiry is computed against it. */
  clock?: (() => number) | undefined;
}

/**
 * Parameters of {@link PinterestOAuth.authorizationUrl}.
 *
 * @example
 * ```ts
 * const state = createState();
 * const url = oauth.authorizationUrl({ scopes: ["user_accounts:read", "pins:read"], state });
 * ```
 */
export interface AuthorizationUrlParams {
  /** Scopes to ask for (at least one). */
  scopes: readonly PinterestScope[];
  /** An unguessable value you keep (e.g. in a cookie) and compare on the callback; see {@link createState}. */
  state: string;
  /** Overrides the default redirect URI. */
  redirectUri?: string | undefined;
}

/**
 * Parameters of {@link PinterestOAuth.exchangeCode}.
 *
 * @example
 * ```ts
 * const code = new URL(request.url).searchParams.get("code")!; // after checking `state`
 * const tokens = await oauth.exchangeCode({ code, signal: AbortSignal.timeout(15_000) });
 * ```
 */
export interface ExchangeCodeParams {
  /** The `code` query parameter Pinterest sent to the redirect URI. */
  code: string;
  /** The redirect URI used in `authorizationUrl()`, if not the default. */
  redirectUri?: string | undefined;
  /** Stops the call and cancels its request (if the request was sent, Pinterest may have used the code anyway). */
  signal?: AbortSignal | undefined;
}

/**
 * Parameters of {@link PinterestOAuth.refresh}.
 *
 * @example
 * ```ts
 * const next = await oauth.refresh({ refreshToken: tokens.refreshToken!, previous: tokens });
 * // next.refreshToken is the rotated refresh token: store it before using next.accessToken
 * ```
 */
export interface RefreshParams {
  refreshToken: string;
  /** Narrow the new access token to these scopes. */
  scopes?: readonly PinterestScope[] | undefined;
  /**
   * The token set being refreshed: if Pinterest's answer carries no new refresh token, the returned set keeps this
   * one's refresh token, so it is never lost.
   */
  previous?: Pick<TokenSet, "refreshToken" | "refreshTokenExpiresAt"> | undefined;
  /**
   * Stops the call and cancels its request. Once the request was sent, that makes its outcome unknown: Pinterest may
   * have rotated the refresh token, and the new one is lost with the answer. The token manager never does this (its
   * callers' signals stop only their own wait); abort a direct refresh only if losing the grant is acceptable.
   */
  signal?: AbortSignal | undefined;
  /** Overrides `retry.maxElapsedMs` for this call (the token manager keeps retries within its lock this way). */
  maxElapsedMs?: number | undefined;
  /** Overrides `answerTimeoutMs` for this call (the token manager keeps the wait within its lock this way). */
  answerTimeoutMs?: number | undefined;
}

/**
 * Parameters of {@link PinterestOAuth.clientCredentials}.
 *
 * @example
 * ```ts
 * const appTokens = await oauth.clientCredentials({ scopes: ["ads:read"] });
 * ```
 */
export interface ClientCredentialsParams {
  scopes: readonly PinterestScope[];
  signal?: AbortSignal | undefined;
  /** Overrides `retry.maxElapsedMs` for this call. */
  maxElapsedMs?: number | undefined;
}

/**
 * Parameters of {@link PinterestOAuth.revoke}.
 *
 * @example
 * ```ts
 * await oauth.revoke({ token: tokens.refreshToken!, tokenTypeHint: "refresh_token" });
 * ```
 */
export interface RevokeParams {
  token: string;
  tokenTypeHint?: "access_token" | "refresh_token" | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides `retry.maxElapsedMs` for this call. */
  maxElapsedMs?: number | undefined;
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
  /** The Pinterest API base URL this client talks to (`baseUrl`, without a trailing slash). */
  readonly baseUrl: string;
  /** The clock (epoch ms) this client computes expiry with. */
  readonly clock: () => number;
  /** `timeoutMs`, with its default filled in: how long the token manager's callers wait for a refresh. */
  readonly timeoutMs: number;
  /** The URL to send the user's browser to, to approve access. */
  authorizationUrl(params: AuthorizationUrlParams): string;
  /**
   * Trades the authorization code from the redirect for tokens. Never retried (codes are single use), and once sent
   * never cut short before `answerTimeoutMs`.
   */
  exchangeCode(params: ExchangeCodeParams): Promise<TokenSet>;
  /**
   * Trades a refresh token for a new access token and a new (rotated) refresh token. Store both before use. A request
   * once sent is awaited until Pinterest answers (up to `answerTimeoutMs`), and retried only when Pinterest cannot
   * have used the refresh token (an HTTP error answer, or a connection refused before the request was written). An
   * unknown outcome (the connection dropped after sending, no answer in time) is an `OutcomeUnknownError`.
   */
  refresh(params: RefreshParams): Promise<TokenSet>;
  /** Gets an app token (no user) with the client credentials grant. */
  clientCredentials(params: ClientCredentialsParams): Promise<TokenSet>;
  /** Revokes an access or refresh token at Pinterest. */
  revoke(params: RevokeParams): Promise<void>;
}

type TokenRequestBody = components["schemas"]["OauthAccessTokenRequest"];
type TokenRevocationBody = components["schemas"]["TokenRevocationRequest"];

/**
 * A random `state` for the authorization request: 32 bytes from `crypto.getRandomValues`, base64url-encoded.
 *
 * @example
 * ```ts
 * const state = createState(); // keep it in an HttpOnly cookie, compare it on the callback
 * ```
 */
export function createState(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
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
  const { redirectUri, fetch: userFetch, clock = () => Date.now(), continuousRefresh } = options ?? {};
  // The first ':' of Basic credentials separates ID from secret, so an ID cannot contain one.
  const clientId = text("clientId", options?.clientId, " without ':': your Pinterest app ID", /^\s*$|:/);
  // Basic credentials as Pinterest documents them: base64 of the UTF-8 bytes of `id:secret` (btoa alone rejects
  // characters above U+00FF).
  const credentials = new TextEncoder().encode(`${clientId}:${text("clientSecret", options.clientSecret)}`);
  const headers = {
    Authorization: `Basic ${btoa(String.fromCharCode(...credentials))}`,
    "Content-Type": "application/x-www-form-urlencoded",
  };
  if (redirectUri !== undefined) httpUrl("redirectUri", redirectUri);
  const baseUrl = httpUrl("baseUrl", options.baseUrl ?? apiBaseUrl).replace(/\/+$/, "");
  const authorizeAt = httpUrl("authorizationEndpoint", options.authorizationEndpoint ?? authorizationEndpoint);
  callable("fetch", userFetch);
  callable("clock", clock);
  const policy = resolvePolicy(options.timeoutMs, options.retry, options.answerTimeoutMs);
  const redirectFor = (given: string | undefined) =>
    httpUrl("redirectUri", given ?? redirectUri, " (pass one here or to createPinterestOAuth())");

  /**
   * POSTs a form to a token endpoint with the client's Basic auth and reads the whole answer: a `TokenSet` for a
   * grant, nothing for a revocation; a failed answer throws what it means. `fetch` is looked up at each call, so msw
   * and late polyfills work.
   */
  function post<T extends TokenSet | undefined>(
    call: Omit<AttemptsOptions, "policy"> & {
      body: TokenRequestBody | TokenRevocationBody;
      previous?: RefreshParams["previous"];
    },
  ): Promise<T> {
    const { body, previous, ...attempts } = call;
    const { operation } = attempts;
    const grant = (body as TokenRequestBody).grant_type as TokenResponseType | undefined;
    // application/x-www-form-urlencoded by hand (URLSearchParams costs 0.5 µs more per call): the values (codes,
    // tokens, URLs, comma-joined scopes) decode the same.
    let form = "";
    for (const name in body)
      form += `${form && "&"}${name}=${encodeURIComponent((body as Record<string, string>)[name] as string)}`;
    return withRetries({ ...attempts, policy }, async (signal) => {
      const response = await (userFetch ?? fetch)(`${baseUrl}/oauth/token${grant ? "" : "/revoke"}`, {
        method: "POST",
        headers,
        body: form,
        signal,
      });
      // An error answer whose body is cut off is still an error answer (the request was not used).
      const text = await response.text().catch((error) => {
        if (response.ok) throw error;
        return "";
      });
      return readAnswer({ operation, response, text, receivedAt: clock(), grant, previous }) as T;
    });
  }

  return {
    clientId,
    redirectUri,
    baseUrl,
    clock,
    timeoutMs: policy.timeoutMs,

    authorizationUrl(params) {
      const url = new URL(authorizeAt);
      const query = {
        client_id: clientId,
        redirect_uri: redirectFor(params?.redirectUri),
        response_type: "code",
        scope: scopeList(params.scopes),
        state: text("state", params.state, ": make one with createState()"),
      };
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return `${url}`;
    },

    async exchangeCode(params) {
      const body: TokenRequestBody = {
        grant_type: "authorization_code",
        code: text("code", params?.code),
        redirect_uri: redirectFor(params.redirectUri),
      };
      if (continuousRefresh) body.continuous_refresh = true;
      return post({ operation: "the code exchange", body, signal: params.signal, retry: false, spends: true });
    },

    async refresh(params) {
      const refreshToken = text("refreshToken", params?.refreshToken);
      const body: TokenRequestBody = { grant_type: "refresh_token", refresh_token: refreshToken };
      if (params.scopes) body.scope = scopeList(params.scopes);
      const { signal, maxElapsedMs, answerTimeoutMs, previous = { refreshToken } } = params;
      return post({
        operation: "the token refresh",
        body,
        previous,
        signal,
        maxElapsedMs,
        answerTimeoutMs,
        retry: true,
        spends: true,
      });
    },

    async clientCredentials(params) {
      const scope = scopeList(params?.scopes);
      const { signal, maxElapsedMs } = params;
      return post({
        operation: "the client credentials grant",
        body: { grant_type: "client_credentials", scope },
        signal,
        maxElapsedMs,
        retry: true,
        spends: false,
      });
    },

    async revoke(params) {
      const token = text("token", params?.token);
      const hint = params.tokenTypeHint;
      need(
        [undefined, "access_token", "refresh_token"].includes(hint),
        `tokenTypeHint must be "access_token" or "refresh_token", got ${JSON.stringify(hint)}.`,
      );
      const body = hint ? { token, token_type_hint: hint } : { token };
      const { signal, maxElapsedMs } = params;
      await post({ operation: "the token revocation", body, signal, maxElapsedMs, retry: true, spends: false });
    },
  };
}
