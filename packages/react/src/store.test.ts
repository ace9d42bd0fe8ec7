import { afterEach, describe, expect, it, vi } from "vitest";
import { PinterestAuthError } from "./errors.ts";
import type { SessionJson } from "./session.ts";
import { type AuthStore, type AuthStoreOptions, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { type RealRouteHandler, type RouteHandlerOptions, realRouteHandler } from "./testing/route-handler.ts";

const server = startMswServer();
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

interface Setup {
  /** Sign in before the store is created. Default true. */
  signedIn?: boolean;
  /** Scopes asked for at sign-in, besides the configured `user_accounts:read`. */
  scopes?: string[];
  /** Give the store the server's session as `initialSession` (as a layout that read it would). */
  initial?: boolean;
  options?: AuthStoreOptions;
  handler?: RouteHandlerOptions;
  /** Runs before the store mounts. */
  before?: (routes: RealRouteHandler) => void;
}

/** The real route handler, a browser signed in on it (or not), and a store mounted on it. */
async function setup({ signedIn = true, scopes, initial, options = {}, handler, before }: Setup = {}) {
  const routes = realRouteHandler(handler);
  server.use(...routes.handlers);
  const session: SessionJson = signedIn ? await routes.signIn(scopes) : { status: "unauthenticated" };
  before?.(routes);
  const store = createAuthStore({ ...(initial ? { initialSession: session } : {}), ...options });
  cleanups.push(store.mount());
  return { routes, store, session };
}

/** Resolves at the next change of the store's state. */
const nextChange = (store: AuthStore) =>
  new Promise<void>((resolve) => {
    const unsubscribe = store.subscribe(() => {
      unsubscribe();
      resolve();
    });
  });

describe("status", () => {
  it("loading → authenticated from GET /session, with the session's metadata", async () => {
    const { store, session } = await setup({ scopes: ["pins:read"] });
    expect(store.getState()).toMatchObject({ status: "loading", session: null, error: null });
    await nextChange(store);
    const state = store.getState();
    expect(state.status).toBe("authenticated");
    expect(state.session).toMatchObject({ scopes: ["user_accounts:read", "pins:read"] });
    expect(state.session?.expiresAt).toBe(session.status === "authenticated" && session.expiresAt);
    expect(state.session?.refreshTokenExpiresAt).toBeGreaterThan(state.session?.expiresAt ?? Infinity);
    expect(state.error).toBeNull();
  });

  it("loading → unauthenticated", async () => {
    const { store } = await setup({ signedIn: false });
    await nextChange(store);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", session: null, error: null });
  });

  it("loading → error when the route cannot be reached, → authenticated on the back-off retry", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { routes, store } = await setup({ before: (routes) => routes.fail("session", "network") });
    await routes.settled();
    const { status, error } = store.getState();
    expect(status).toBe("error");
    expect(error).toBeInstanceOf(PinterestAuthError);
    expect(error).toMatchObject({ code: "network_error", status: undefined });
    await vi.advanceTimersByTimeAsync(2000);
    await routes.settled();
    expect(routes.count("session")).toBe(2);
    expect(store.getState()).toMatchObject({ status: "authenticated", error: null });
  });

  it("error with invalid_response when something other than the route handler answers (a wrong basePath)", async () => {
    const { routes, store } = await setup({ options: { basePath: "/api/pinterset" } });
    await routes.settled();
    expect(store.getState()).toMatchObject({ status: "error", error: { code: "invalid_response", status: 404 } });
    expect(store.getState().error?.message).toContain('basePath "/api/pinterset"');
  });

  it("error carries the route handler's code and status (its token store is down: 500 internal_error)", async () => {
    const { routes, store } = await setup({ before: (routes) => routes.store.fail("get") });
    await routes.settled();
    expect(store.getState()).toMatchObject({ status: "error", error: { code: "internal_error", status: 500 } });
  });

  it("an action started by a subscriber during an update is a new request, not the one that just ended", async () => {
    const { routes, store } = await setup({ before: (routes) => routes.fail("session", "network") });
    let retried: Promise<unknown> | undefined;
    store.subscribe(() => {
      if (store.getState().status === "error") retried ??= store.reload();
    });
    await vi.waitFor(() => expect(retried).toBeDefined());
    await retried;
    expect(routes.count("session")).toBe(2);
    expect(store.getState().status).toBe("authenticated");
  });

  it("error → authenticated when the window regains focus", async () => {
    const { routes, store } = await setup({ before: (routes) => routes.fail("session", "network") });
    await routes.settled();
    expect(store.getState().status).toBe("error");
    window.dispatchEvent(new Event("focus"));
    await routes.settled();
    expect(store.getState().status).toBe("authenticated");
  });

  it("authenticated → unauthenticated on logout, and → authenticated again after a new sign-in (focus)", async () => {
    const { routes, store } = await setup({ initial: true });
    const after = await store.logout();
    expect(after).toBe(store.getState());
    expect(after).toMatchObject({ status: "unauthenticated", session: null, error: null });
    expect(routes.mock.calls.for("token/revoke").map((call) => call.status)).toEqual([200]);
    await routes.signIn(); // signed in again, e.g. in another window
    window.dispatchEvent(new Event("focus"));
    await routes.settled();
    expect(store.getState().status).toBe("authenticated");
  });

  it("authenticated → unauthenticated when a refresh finds the grant dead (the route handler cleared it)", async () => {
    const { routes, store } = await setup({ initial: true });
    routes.mock.revokeAllTokens(); // the user removed the app on Pinterest
    const after = await store.refresh();
    expect(after).toMatchObject({
      status: "unauthenticated",
      session: null,
      error: { code: "reauthorization_required", status: 401 },
    });
    expect(await routes.session()).toEqual({ status: "unauthenticated" });
  });

  it("starts from initialSession without any request; null means signed out", async () => {
    const { routes, store, session } = await setup({ initial: true });
    expect(store.getState()).toMatchObject({ status: "authenticated", session: { scopes: ["user_accounts:read"] } });
    expect(store.getState().session?.expiresAt).toBe(session.status === "authenticated" && session.expiresAt);
    expect(store.getServerState()).toBe(store.getState());
    const signedOutStore = createAuthStore({ initialSession: null });
    expect(signedOutStore.getState()).toMatchObject({ status: "unauthenticated", session: null });
    await routes.settled();
    expect(routes.requests).toEqual([]);
  });

  it("keeps only the contract's fields: a token a server adds by mistake never reaches the state", async () => {
    const { session } = await setup({ signedIn: true, options: { refetchOnFocus: false } });
    const leaky = { ...session, accessToken: "pina_secret", refreshToken: "pinr_secret" };
    const store = createAuthStore({ initialSession: leaky });
    expect(JSON.stringify(store.getState().session)).not.toContain("secret");
    expect(Object.keys(store.getState().session ?? {}).sort()).toEqual([
      "expiresAt",
      "expiresIn",
      "refreshTokenExpiresAt",
      "scopes",
    ]);
  });

  it("session.expiresIn() counts down at call time and stops at 0", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const expiresAt = Date.now() + 90_000;
    const store = createAuthStore({
      initialSession: { status: "authenticated", scopes: [], expiresAt, refreshTokenExpiresAt: null },
    });
    const session = store.getState().session;
    expect(session?.expiresIn()).toBe(90_000);
    vi.advanceTimersByTime(30_000);
    expect(session?.expiresIn()).toBe(60_000);
    vi.advanceTimersByTime(120_000);
    expect(session?.expiresIn()).toBe(0);
  });
});

describe("requests", () => {
  it("follow the contract: GET /session and POST /refresh, /logout with Accept: application/json", async () => {
    const { routes, store } = await setup();
    await nextChange(store);
    await store.refresh();
    await store.logout();
    expect(routes.requests).toEqual([
      { route: "session", method: "GET", accept: "application/json" },
      { route: "refresh", method: "POST", accept: "application/json" },
      { route: "logout", method: "POST", accept: "application/json" },
    ]);
    expect(routes.mock.calls.for("oauth/token").map((call) => call.form?.grant_type)).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
  });

  it("concurrent calls of one action share one request and its result", async () => {
    const { routes, store } = await setup({ initial: true });
    const release = routes.hold("refresh");
    const calls = [store.refresh(), store.refresh(), store.refresh()];
    await vi.waitFor(() => expect(routes.count("refresh")).toBe(1));
    release();
    const results = await Promise.all(calls);
    expect(routes.count("refresh")).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toBe(store.getState());
    await store.refresh(); // once settled, the next call is a new request
    expect(routes.count("refresh")).toBe(2);
  });

  it("dedupes logout and the session check the same way, each action on its own", async () => {
    const { routes, store } = await setup({ initial: true });
    const releaseSession = routes.hold("session");
    const releaseLogout = routes.hold("logout");
    const pending = [store.reload(), store.reload(), store.logout(), store.logout()];
    await vi.waitFor(() => expect(routes.count("logout")).toBe(1));
    expect(routes.count("session")).toBe(1);
    releaseSession();
    releaseLogout();
    await Promise.all(pending);
    expect(routes.count("session")).toBe(1);
    expect(routes.count("logout")).toBe(1);
  });

  it("drops an answer that an action started later has overtaken (a refresh must not undo a logout)", async () => {
    const { routes, store } = await setup({ initial: true });
    const release = routes.hold("refresh", "answer");
    const refreshing = store.refresh();
    await vi.waitFor(() => expect(routes.count("refresh")).toBe(1));
    await store.logout();
    expect(store.getState().status).toBe("unauthenticated");
    release(); // the refresh's answer ("authenticated", from before the logout) arrives after it
    await refreshing;
    expect(store.getState().status).toBe("unauthenticated");
  });

  it("never rejects: a failed refresh keeps the session and reports the error", async () => {
    const { routes, store } = await setup({ initial: true });
    const before = store.getState().session;
    routes.mock.scenario("oauth/token").serverError({ status: 503 }).once();
    const after = await store.refresh();
    expect(after).toMatchObject({ status: "authenticated", error: { code: "pinterest_unavailable", status: 503 } });
    expect(after.session?.expiresAt).toBe(before?.expiresAt);
  });

  it("a logout the route handler refuses (a request from another site) leaves the user signed in and says why", async () => {
    const { routes, store } = await setup({ initial: true });
    routes.fail("logout", "foreign-origin");
    const after = await store.logout();
    expect(after).toMatchObject({ status: "authenticated", error: { code: "forbidden_origin", status: 403 } });
    expect(await routes.session()).toMatchObject({ status: "authenticated" });
  });

  it("a logout whose revocation Pinterest did not confirm still signs out, with the route handler's error", async () => {
    const { routes, store } = await setup({ initial: true });
    routes.mock.scenario("token/revoke").serverError({ status: 503 }).always();
    const after = await store.logout();
    expect(after).toMatchObject({ status: "unauthenticated", error: { code: "pinterest_unavailable", status: 200 } });
    expect(await routes.session()).toEqual({ status: "unauthenticated" });
  });

  it("refresh while signed out: unauthenticated with not_signed_in", async () => {
    const { store } = await setup({ signedIn: false, initial: true });
    expect(await store.refresh()).toMatchObject({ status: "unauthenticated", error: { code: "not_signed_in" } });
  });

  it("a session check that changes nothing keeps the last error; one that changes the session clears it", async () => {
    const { routes, store } = await setup({ signedIn: false, initial: true });
    await store.refresh();
    expect(store.getState().error?.code).toBe("not_signed_in");
    await store.reload();
    expect(store.getState().error?.code).toBe("not_signed_in");
    await routes.signIn();
    await store.reload();
    expect(store.getState()).toMatchObject({ status: "authenticated", error: null });
  });
});

describe("login", () => {
  it("navigates to the login route with returnTo (the current page by default) and comma-joined scopes", () => {
    const assign = vi.spyOn(window.location, "assign").mockImplementation(() => {});
    history.replaceState(null, "", "/boards/42?tab=pins&q=a b#top");
    const store = createAuthStore({ basePath: "/auth/pinterest/" });
    store.login();
    store.login({ returnTo: "/settings?from=menu&x=1", scopes: ["pins:read", "boards:write"] });
    store.login({ scopes: [] });
    expect(assign.mock.calls.map(([url]) => String(url))).toEqual([
      "/auth/pinterest/login?returnTo=%2Fboards%2F42%3Ftab%3Dpins%26q%3Da%2520b%23top",
      "/auth/pinterest/login?returnTo=%2Fsettings%3Ffrom%3Dmenu%26x%3D1&scopes=pins%3Aread%2Cboards%3Awrite",
      "/auth/pinterest/login?returnTo=%2Fboards%2F42%3Ftab%3Dpins%26q%3Da%2520b%23top",
    ]);
    const sent = new URL(String(assign.mock.calls[1]?.[0]), location.origin).searchParams;
    expect(sent.get("returnTo")).toBe("/settings?from=menu&x=1");
    expect(sent.get("scopes")?.split(",")).toEqual(["pins:read", "boards:write"]);
    history.replaceState(null, "", "/");
  });

  it("the login route asks Pinterest for the configured scopes and login()'s in addition", async () => {
    const { routes } = await setup({ signedIn: false });
    const assign = vi.spyOn(window.location, "assign").mockImplementation(() => {});
    createAuthStore().login({ scopes: ["boards:read"] });
    const login = await routes.pinterest.handler(
      new Request(new URL(String(assign.mock.calls[0]?.[0]), location.href)),
    );
    const authorize = new URL(login.headers.get("location") as string);
    expect(authorize.searchParams.get("scope")?.split(",")).toEqual(["user_accounts:read", "boards:read"]);
  });

  it("rejects a basePath that is not a path on this site, saying what to pass", () => {
    for (const basePath of ["api/pinterest", "https://auth.example.com/api/pinterest", "//evil.example", "/"]) {
      expect(() => createAuthStore({ basePath })).toThrow(
        /basePath must be a path on this site, like "\/api\/pinterest"/,
      );
    }
  });

  it("turns ?pintoken_error= from a failed callback into the error and removes it from the address", async () => {
    history.replaceState({ kept: true }, "", "/welcome?pintoken_error=access_denied&tab=2#top");
    const { store } = await setup({ signedIn: false, initial: true });
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: { code: "access_denied" } });
    expect(location.pathname + location.search + location.hash).toBe("/welcome?tab=2#top");
    expect(history.state).toEqual({ kept: true });
    history.replaceState(null, "", "/");
  });

  it("shows only codes the route handler sends: any other ?pintoken_error= is removed and not shown", async () => {
    for (const forged of ["Your account is locked, call +1 555 0100", "access_denied2", "__proto__", ""]) {
      history.replaceState(null, "", `/welcome?pintoken_error=${encodeURIComponent(forged)}`);
      const { store } = await setup({ signedIn: false, initial: true });
      expect(store.getState()).toMatchObject({ status: "unauthenticated", error: null });
      expect(location.search).toBe("");
    }
    history.replaceState(null, "", "/");
  });

  it("reports a callback error after the first session check when there is no initialSession", async () => {
    history.replaceState(null, "", "/?pintoken_error=state_mismatch");
    const { routes, store } = await setup({ signedIn: false });
    await vi.waitFor(() => expect(store.getState().error?.code).toBe("state_mismatch"));
    expect(store.getState().status).toBe("unauthenticated");
    expect(routes.count("session")).toBe(1);
    expect(location.search).toBe("");
  });
});

describe("keeping current", () => {
  it("asks for the session again on window focus and when back online", async () => {
    const { routes, store } = await setup({ initial: true });
    window.dispatchEvent(new Event("focus"));
    await vi.waitFor(() => expect(routes.count("session")).toBe(1));
    window.dispatchEvent(new Event("online"));
    await vi.waitFor(() => expect(routes.count("session")).toBe(2));
    await routes.signOutElsewhere(); // e.g. signed out in another browser
    window.dispatchEvent(new Event("focus"));
    await vi.waitFor(() => expect(store.getState().status).toBe("unauthenticated"));
  });

  it("refetchOnFocus: false and refetchOnReconnect: false turn that off", async () => {
    const { routes } = await setup({
      initial: true,
      options: { refetchOnFocus: false, refetchOnReconnect: false },
    });
    window.dispatchEvent(new Event("focus"));
    window.dispatchEvent(new Event("online"));
    await routes.settled();
    expect(routes.requests).toEqual([]);
  });

  it("tells subscribers once per change, and not at all when an answer changes nothing", async () => {
    const { routes, store } = await setup({ signedIn: false, initial: true });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    await store.reload();
    expect(listener).not.toHaveBeenCalled();
    await routes.signIn();
    await store.reload();
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    await store.logout();
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
