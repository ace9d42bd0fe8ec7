/**
 * The framework-free auth store the React bindings bridge with `useSyncExternalStore`. It talks only to the route
 * handler's JSON routes under `basePath`, never to Pinterest, and never sees a token.
 *
 * @module
 */
import type { PinterestScope } from "@pintoken/core";
import type { SessionMessage } from "@pintoken/next/contract";
import { callbackError, PinterestAuthError } from "./errors.ts";
import { type PinterestSession, parseSession, type SessionJson, toSession } from "./session.ts";

/**
 * What `login()` sends to the route handler's login route.
 *
 * @example
 * ```ts
 * login({ returnTo: "/boards", scopes: ["boards:read", "pins:read"] });
 * ```
 */
export interface LoginOptions {
  /** Where to come back to after signing in: a path on this site. Default: the current page. */
  returnTo?: string;
  /**
   * Scopes to ask for in addition to those the route handler is configured with (which it always asks for, since the
   * app's own pages rely on them). Default: the configured ones alone.
   */
  scopes?: readonly PinterestScope[];
}

/**
 * The actions every state carries (stable functions: safe in dependency arrays).
 *
 * @example
 * ```ts
 * const after = await refresh();
 * if (after.status === "unauthenticated") login();
 * ```
 */
export interface PinterestAuthActions {
  /** Navigates to `{basePath}/login` (full page load to Pinterest and back). */
  login(options?: LoginOptions): void;
  /** Signs out (the route handler revokes the grant at Pinterest) and tells every tab. Never rejects. */
  logout(): Promise<PinterestAuth>;
  /** Refreshes the access token now and tells every tab. Never rejects: failures land in `error`. */
  refresh(): Promise<PinterestAuth>;
  /** Asks `GET {basePath}/session` now (concurrent calls share one request). Never rejects. */
  reload(): Promise<PinterestAuth>;
}

/**
 * The auth state, discriminated on `status`: `session` is non-null exactly when authenticated. `error` is the last
 * failure (a failed refresh keeps the session: the user is still signed in).
 *
 * @example
 * ```ts
 * if (state.status === "authenticated") console.log(state.session.scopes);
 * else if (state.status === "error") console.error(state.error.code);
 * ```
 */
export type PinterestAuthState =
  | { status: "loading"; session: null; error: null }
  | { status: "authenticated"; session: PinterestSession; error: PinterestAuthError | null }
  | { status: "unauthenticated"; session: null; error: PinterestAuthError | null }
  | { status: "error"; session: null; error: PinterestAuthError };

/**
 * What `usePinterestAuth()` returns and the store's snapshot: the state and the actions.
 *
 * @example
 * ```ts
 * const { status, session, error, login, logout, refresh }: PinterestAuth = usePinterestAuth();
 * ```
 */
export type PinterestAuth = PinterestAuthState & PinterestAuthActions;

/**
 * Options of {@link createAuthStore} (and props of `PinterestAuthProvider`).
 *
 * @example
 * ```ts
 * const options: AuthStoreOptions = { basePath: "/api/pinterest", initialSession: null, refreshBeforeExpiryMs: 120_000 };
 * ```
 */
export interface AuthStoreOptions {
  /** Where the route handler is mounted: a path on this site. Default `"/api/pinterest"`. */
  basePath?: string;
  /**
   * The session the server rendered with (`await pinterest.getSession()`); `null` means signed out. Omit it to
   * start as `"loading"` and ask `GET {basePath}/session` once mounted.
   */
  initialSession?: SessionJson | null | undefined;
  /** The `fetch` to use, resolved at each call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Refresh the access token this long before it expires (ms). Default 60 000. */
  refreshBeforeExpiryMs?: number;
  /** Ask for the session again when the window gains focus. Default `true`. */
  refetchOnFocus?: boolean;
  /** Ask for the session again when the browser comes back online. Default `true`. */
  refetchOnReconnect?: boolean;
}

/**
 * A store of the Pinterest auth state in the browser; see {@link createAuthStore}.
 *
 * @example
 * ```ts
 * const unmount = store.mount();
 * const unsubscribe = store.subscribe(() => console.log(store.getState().status));
 * ```
 */
export interface AuthStore extends PinterestAuthActions {
  /** The current snapshot (a new object after every change, the same object otherwise). */
  getState(): PinterestAuth;
  /** The snapshot from `initialSession`, as the server rendered it (for hydration). */
  getServerState(): PinterestAuth;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Starts keeping the state current in this browser tab: the session request when there is none yet, focus and
   * online listeners, the BroadcastChannel to other tabs, the refresh timer and a `?pintoken_error=` from the
   * callback. Returns the function that stops all of it. Counted: it stops after the last mount is undone.
   */
  mount(): () => void;
}

const maxDelay = 2 ** 31 - 1; // setTimeout fires at once for longer delays; Pinterest tokens last 30 days
const maxBackoff = 300_000;

/**
 * Creates the auth store. Nothing happens until `mount()`: creating it on the server makes no request.
 *
 * @example
 * ```ts
 * const store = createAuthStore({ basePath: "/api/pinterest" });
 * const unmount = store.mount(); // asks for the session, then keeps it current
 * store.subscribe(() => console.log(store.getState().status));
 * ```
 */
export function createAuthStore(options: AuthStoreOptions = {}): AuthStore {
  const basePath = (options.basePath ?? "/api/pinterest").replace(/\/+$/, "");
  if (!/^\/[^/]/.test(basePath)) {
    throw new TypeError(`basePath must be a path on this site, like "/api/pinterest" (got "${options.basePath}").`);
  }
  const ahead = options.refreshBeforeExpiryMs ?? 60_000;
  const listeners = new Set<() => void>();
  const inflight: Record<string, Promise<PinterestAuth> | undefined> = {};
  let json = parseSession(options.initialSession === null ? { status: "unauthenticated" } : options.initialSession);
  let mounts = 0;
  let started = 0; // request ids: a response older than the newest applied one is stale and dropped
  let applied = 0;
  let failures = 0;
  let retry = reload;
  /** A sign-out the route handler could not get Pinterest to confirm: retried with back-off while signed out. */
  let signingOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let channel: BroadcastChannel | undefined;

  const same = (next: SessionJson | undefined) => JSON.stringify(next) === JSON.stringify(json);
  const make = (error: PinterestAuthError | null) =>
    ({
      status: json?.status ?? (error ? "error" : "loading"),
      session: toSession(json),
      error,
      login,
      logout,
      refresh,
      reload,
    }) as PinterestAuth;

  /** Sets the session and error; tells subscribers (and other tabs when `post`) when anything changed. */
  const set = (next: SessionJson | undefined, error: PinterestAuthError | null, post = true) => {
    const changed = !same(next);
    if (changed || error !== state.error) {
      if (changed && post && next) {
        const message: SessionMessage = { type: "session", session: next, previous: json };
        channel?.postMessage(message);
      }
      json = next;
      state = make(error);
      for (const listener of listeners) listener();
    }
    schedule();
    return state;
  };

  /**
   * One request per action at a time (concurrent calls share it). Session JSON in the answer becomes the state (a
   * 401 from refresh carries `status: "unauthenticated"`: the route handler cleared the session; a logout is
   * signed out even when Pinterest did not confirm the revocation, with its `error`, and when Pinterest could not be
   * reached for it, the sign-out is retried with back-off until confirmed). Anything else keeps the session, sets
   * `error` and retries with back-off.
   */
  const run = (action: string, method: string, again: () => Promise<PinterestAuth>) =>
    (inflight[action] ??= (async () => {
      const id = ++started;
      const url = `${basePath}/${action}`;
      let next: SessionJson | undefined;
      let error: PinterestAuthError;
      let keep: boolean;
      let unconfirmed = false;
      try {
        // credentials: "same-origin" is fetch's default; the browser adds Origin to POSTs
        const response = await (options.fetch ?? fetch)(url, { method, headers: { Accept: "application/json" } });
        const body = await response.json().catch(() => undefined);
        const { status } = response;
        next = parseSession(body);
        keep = response.ok && !body?.error;
        unconfirmed = again === logout && body?.revoked === false && body?.error?.code === "pinterest_unavailable";
        error = body?.error?.code
          ? new PinterestAuthError(body.error.code, body.error.message, { status })
          : new PinterestAuthError(
              "invalid_response",
              `${url} answered HTTP ${status}, not pintoken JSON: is the route handler at basePath "${basePath}"?`,
              { status },
            );
      } catch (cause) {
        keep = false;
        error = new PinterestAuthError(
          "network_error",
          `Could not reach ${url}: check your connection and try again.`,
          {
            cause,
          },
        );
      }
      return () => {
        // a newer answer (or another tab) already said more; but a confirmed logout is the last word
        if (id <= applied && again !== logout) return state;
        applied = id;
        if (!next) {
          failures++;
          retry = again;
          return set(json, error);
        }
        if (again === logout) signingOut = unconfirmed;
        if (unconfirmed) {
          failures++;
          retry = logout;
          return set(next, error);
        }
        failures = 0;
        // a successful answer that changes nothing keeps the error: what failed before has still not happened (a
        // confirmed sign-out has: it clears it)
        return set(next, !keep ? error : same(next) && again !== logout ? state.error : null);
      };
    })().then((apply) => {
      inflight[action] = undefined; // first, so that a subscriber can start the next request
      return apply();
    }));

  function reload() {
    return run("session", "GET", reload);
  }

  function refresh() {
    return run("refresh", "POST", refresh);
  }

  function logout() {
    return run("logout", "POST", logout);
  }

  function login({ returnTo, scopes }: LoginOptions = {}) {
    const query = new URLSearchParams({ returnTo: returnTo ?? location.pathname + location.search + location.hash });
    if (scopes?.length) query.set("scopes", scopes.join(","));
    location.assign(`${basePath}/login?${query}`);
  }

  /**
   * Arms the one timer: a retry with back-off after a failure, else the refresh ahead of expiry (never sooner than
   * half the token's remaining lifetime, and at most 24.8 days ahead: longer delays overflow `setTimeout`).
   */
  function schedule() {
    clearTimeout(timer);
    if (!mounts || (json?.status === "unauthenticated" && !signingOut) || (!json && !failures)) return;
    const left = json?.status === "authenticated" ? json.expiresAt - Date.now() : 0;
    const delay = failures ? Math.min(1000 * 2 ** failures, maxBackoff) : Math.max(left - ahead, left / 2);
    const due = () => {
      const action = failures ? retry : refresh;
      // a hidden tab leaves refreshing to a visible one (whose message reschedules it) and looks again in a minute
      if (action === refresh && document.visibilityState === "hidden") timer = setTimeout(due, 60_000);
      else void action();
    };
    timer = setTimeout(due, Math.min(delay, maxDelay));
  }

  const onMessage = ({ data }: MessageEvent) => {
    const next = data?.type === "session" && parseSession(data.session);
    if (next) {
      applied = started; // requests already under way carry older news
      if (!signingOut || next.status === "authenticated") {
        failures = 0;
        signingOut = false;
      }
      set(next, null, false);
    }
  };

  const initial = make(null);
  let state = initial;

  return {
    getState: () => state,
    getServerState: () => initial,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    login,
    logout,
    refresh,
    reload,
    mount() {
      if (!mounts++) {
        if (typeof BroadcastChannel === "function") {
          channel = new BroadcastChannel(`pintoken:${basePath}`);
          channel.onmessage = onMessage;
        }
        if (options.refetchOnFocus ?? true) addEventListener("focus", reload);
        if (options.refetchOnReconnect ?? true) addEventListener("online", reload);
        const url = new URL(location.href);
        const code = url.searchParams.get("pintoken_error");
        if (code !== null) {
          url.searchParams.delete("pintoken_error");
          history.replaceState(history.state, "", url);
        }
        // Only codes the route handler sends, with their own message: anyone can write the address.
        const signInError = code === null ? undefined : callbackError(code);
        if (json && !signInError) schedule();
        else if (json) set(json, signInError ?? null);
        else void reload().then(() => signInError && set(json, signInError));
      }
      return () => {
        if (!--mounts) {
          channel?.close();
          channel = undefined;
          removeEventListener("focus", reload);
          removeEventListener("online", reload);
          schedule();
        }
      };
    },
  };
}
