import {
  ConfigurationError,
  type PinterestScope,
  pinterestScopes,
  type RetryOptions,
  type TokenStore,
} from "@pintoken/core";
import { checkSecrets } from "@pintoken/core/crypto";

/**
 * Where the package writes what it has to say: a refresh that could not be saved to a cookie, an unexpected error
 * behind a 500. Lines never contain tokens or secrets. Default: `console`.
 *
 * @example
 * ```ts
 * const logger: PinterestAuthLogger = { warn: (m) => log.warn(m), error: (m) => log.error(m) };
 * ```
 */
export interface PinterestAuthLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Options of {@link createPinterestAuth}. Every option has an environment variable or a default, so
 * `createPinterestAuth()` alone works once the environment is set.
 *
 * @example
 * ```ts
 * createPinterestAuth({ scopes: ["user_accounts:read", "pins:read"], basePath: "/api/pinterest" });
 * ```
 */
export interface PinterestAuthOptions {
  /** Your Pinterest app ID. Default: `PINTEREST_CLIENT_ID`. */
  clientId?: string | undefined;
  /** Your Pinterest app secret. Default: `PINTEREST_CLIENT_SECRET`. */
  clientSecret?: string | undefined;
  /**
   * At least 32 random characters that encrypt the cookies (`openssl rand -base64 32`). A list rotates keys: the
   * first encrypts, all decrypt. Default: `PINTOKEN_SECRET` (a comma-separated list for rotation).
   */
  secret?: string | readonly string[] | undefined;
  /** Scopes `/login` asks for when the link names none. Default: `PINTEREST_SCOPES`, else `["user_accounts:read"]`. */
  scopes?: readonly PinterestScope[] | undefined;
  /** Where the route handler is mounted. Default `"/api/pinterest"`. */
  basePath?: string | undefined;
  /**
   * The callback URL registered for your app. Default: `PINTEREST_REDIRECT_URI`, else the request's origin +
   * `basePath` + `/callback`. Set it behind a proxy that rewrites the host.
   */
  redirectUri?: string | undefined;
  /** Pinterest API base URL (a mock or the sandbox). Default: `PINTEREST_API_BASE_URL`, else Pinterest's. */
  baseUrl?: string | undefined;
  /** Where users approve access. Default: `PINTEREST_AUTHORIZATION_URL`, else `https://www.pinterest.com/oauth/`. */
  authorizationEndpoint?: string | undefined;
  /**
   * Keep tokens on the server in this store: the cookie then holds only an opaque session id. Without a store the
   * encrypted cookie holds the tokens.
   */
  store?: TokenStore | undefined;
  /**
   * Prefix of the cookie names (`<name>.session`, `<name>.state`). On https they get the `__Host-` prefix too
   * (`__Host-pintoken.session`), so that no other subdomain can set them. Default `"pintoken"`.
   */
  cookieName?: string | undefined;
  /** Longest a session lives unused, in seconds; never longer than the refresh token. Default 60 days. */
  sessionMaxAgeSeconds?: number | undefined;
  /** More origins allowed to POST to `/refresh` and `/logout` (the app's own origin always is). */
  allowedOrigins?: readonly string[] | undefined;
  /** `getAccessToken()` refreshes when the access token expires within this many ms. Default 5 minutes. */
  refreshWindowMs?: number | undefined;
  /** The proxy helper refreshes ahead when the access token expires within this many ms. Default 10 minutes. */
  proxyRefreshWindowMs?: number | undefined;
  /** Ask for continuous refresh tokens (apps created before 2025-09-25). Default: `PINTEREST_CONTINUOUS_REFRESH=true`. */
  continuousRefresh?: boolean | undefined;
  /** Per-attempt timeout of calls to Pinterest. Default 10 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries of refresh and revoke calls (never of a code exchange), or `false`. */
  retry?: RetryOptions | false | undefined;
  /** The `fetch` used to reach Pinterest. Default `globalThis.fetch`, looked up at each call. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Current time in epoch ms. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /** Where the environment variables are read. Default `process.env` where there is one. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Default `console`. */
  logger?: PinterestAuthLogger | undefined;
}

/** Options with every default and environment variable applied, checked. */
export interface AuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly secrets: readonly string[];
  readonly scopes: readonly PinterestScope[];
  readonly basePath: string;
  readonly redirectUri: string | undefined;
  readonly baseUrl: string | undefined;
  readonly authorizationEndpoint: string | undefined;
  readonly store: TokenStore | undefined;
  readonly cookieName: string;
  readonly sessionMaxAgeSeconds: number;
  readonly allowedOrigins: readonly string[];
  readonly refreshWindowMs: number;
  readonly proxyRefreshWindowMs: number;
  readonly continuousRefresh: boolean;
  readonly timeoutMs: number | undefined;
  readonly retry: RetryOptions | false | undefined;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly clock: () => number;
  readonly logger: PinterestAuthLogger;
}

const day = 86_400;

function fail(message: string): never {
  throw new ConfigurationError(message);
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  const scope = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return scope.process?.env ?? {};
}

function text(name: string, given: string | undefined, env: string | undefined, variable: string, hint: string) {
  const value = given ?? env;
  if (typeof value !== "string" || value.trim() === "")
    fail(`${name} is missing: pass ${name} to createPinterestAuth() or set ${variable} (${hint}).`);
  return value.trim();
}

function origin(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
  } catch {}
  return fail(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}.`);
}

function positive(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    fail(`${name} must be a number ≥ 0, got ${String(value)}.`);
  return value;
}

/** Below this, a secret is refused as guessable (32 random hex digits, the weakest common form, estimate ≥ 90). */
const minEntropyBits = 64;

function shannon(items: readonly (string | number)[]): number {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / items.length) * Math.log2(count / items.length);
  return bits;
}

/**
 * An upper estimate of a secret's entropy in bits: over its shortest repeating unit (`"ab" × 16` is `"ab"`), its
 * length × the Shannon entropy of its characters, or of the steps between them where that is lower (`"abcd…"`,
 * `"0123…"` are one step repeated). Random bytes in base64 or hex score far above the threshold; `"a" × 32`,
 * `"password" × 4` or the alphabet score near 0.
 */
export function entropyBits(secret: string): number {
  const chars = [...secret];
  let unit = chars;
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.length % period === 0 && chars.every((char, i) => char === chars[i % period])) {
      unit = chars.slice(0, period);
      break;
    }
  }
  const codes = unit.map((char) => char.codePointAt(0) as number);
  const steps = codes.slice(1).map((code, i) => code - (codes[i] as number));
  return Math.min(shannon(unit), steps.length > 0 ? shannon(steps) : 0) * unit.length;
}

function resolveSecrets(given: PinterestAuthOptions["secret"], env: string | undefined, clientSecret: string) {
  const secrets = given === undefined ? list(env) : given;
  if ((typeof secrets === "string" || Array.isArray(secrets)) && secrets.length === 0) {
    fail(
      "secret is missing: set PINTOKEN_SECRET (or pass secret) to at least 32 random characters, e.g. the output of `openssl rand -base64 32`. It encrypts the session cookie.",
    );
  }
  const checked = checkSecrets(secrets, { name: "secret", source: "PINTOKEN_SECRET" });
  checked.forEach((secret, i) => {
    const which = checked.length > 1 ? `secret #${i + 1}` : "secret";
    if (secret === clientSecret) fail(`${which} must not be the Pinterest client secret: generate a separate one.`);
    const bits = Math.floor(entropyBits(secret));
    if (bits < minEntropyBits)
      fail(
        `${which} looks guessable (about ${bits} bits of entropy: repeated or sequential characters): use random bytes, e.g. the output of \`openssl rand -base64 32\` or \`node -e "console.log(crypto.randomBytes(32).toString('base64'))"\`, in PINTOKEN_SECRET.`,
      );
  });
  return checked;
}

function resolveScopes(given: PinterestAuthOptions["scopes"], env: string | undefined): readonly PinterestScope[] {
  const scopes = given ? [...given] : list(env);
  if (scopes.length === 0) return ["user_accounts:read"];
  const unknown = scopes.filter((s) => !(pinterestScopes as readonly string[]).includes(s));
  if (unknown.length) fail(`scopes has unknown scopes ${unknown.join(", ")}. Known: ${pinterestScopes.join(", ")}.`);
  return [...new Set(scopes)] as PinterestScope[];
}

function resolveBasePath(value: string): string {
  const path = value.replace(/\/+$/, "");
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(path) || path.includes("//"))
    fail(`basePath must be a path such as "/api/pinterest", got ${JSON.stringify(value)}.`);
  return path;
}

/** Applies environment variables and defaults, and rejects what would fail later, saying how to fix it. */
export function resolveConfig(options: PinterestAuthOptions = {}): AuthConfig {
  if (options === null || typeof options !== "object") fail("createPinterestAuth takes an options object.");
  const env = options.env ?? processEnv();
  const clientId = text("clientId", options.clientId, env.PINTEREST_CLIENT_ID, "PINTEREST_CLIENT_ID", "your app ID");
  const clientSecret = text(
    "clientSecret",
    options.clientSecret,
    env.PINTEREST_CLIENT_SECRET,
    "PINTEREST_CLIENT_SECRET",
    "your app secret",
  );
  const redirectUri = options.redirectUri ?? (env.PINTEREST_REDIRECT_URI || undefined);
  if (redirectUri !== undefined) origin("redirectUri", redirectUri);
  const cookieName = options.cookieName ?? "pintoken";
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cookieName))
    fail(`cookieName must be 1-32 letters, digits, "_" or "-", got ${JSON.stringify(cookieName)}.`);
  if (/^__(host|secure)-/i.test(cookieName))
    fail(
      `cookieName cannot start with "__Host-" or "__Secure-": the "__Host-" prefix is added by itself on https (browsers refuse it on http://localhost). Choose a plain name.`,
    );
  const store = options.store;
  if (store !== undefined && (typeof store.get !== "function" || typeof store.set !== "function"))
    fail("store must be a TokenStore (get, set, delete, optional lock), e.g. new MemoryTokenStore().");
  const sessionMaxAgeSeconds = positive("sessionMaxAgeSeconds", options.sessionMaxAgeSeconds ?? 60 * day);
  if (sessionMaxAgeSeconds < 60) fail("sessionMaxAgeSeconds must be at least 60.");
  const refreshWindowMs = positive("refreshWindowMs", options.refreshWindowMs ?? 5 * 60_000);
  const proxyRefreshWindowMs = positive("proxyRefreshWindowMs", options.proxyRefreshWindowMs ?? 10 * 60_000);
  if (proxyRefreshWindowMs < refreshWindowMs)
    fail(
      "proxyRefreshWindowMs must be at least refreshWindowMs, so that pages rendered after the proxy never need to refresh.",
    );
  return {
    clientId,
    clientSecret,
    secrets: resolveSecrets(options.secret, env.PINTOKEN_SECRET, clientSecret),
    scopes: resolveScopes(options.scopes, env.PINTEREST_SCOPES),
    basePath: resolveBasePath(options.basePath ?? "/api/pinterest"),
    redirectUri,
    baseUrl: options.baseUrl ?? (env.PINTEREST_API_BASE_URL || undefined),
    authorizationEndpoint: options.authorizationEndpoint ?? (env.PINTEREST_AUTHORIZATION_URL || undefined),
    store,
    cookieName,
    sessionMaxAgeSeconds,
    allowedOrigins: (options.allowedOrigins ?? []).map((value) => origin("allowedOrigins", value)),
    refreshWindowMs,
    proxyRefreshWindowMs,
    continuousRefresh: options.continuousRefresh ?? env.PINTEREST_CONTINUOUS_REFRESH === "true",
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    fetch: options.fetch,
    clock: options.clock ?? (() => Date.now()),
    logger: options.logger ?? console,
  };
}
