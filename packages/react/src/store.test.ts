import { afterEach, describe, expect, it, vi } from "vitest";
import { PinterestAuthError } from "./errors.ts";
import type { SessionJson } from "./session.ts";
import { type AuthStore, type AuthStoreOptions, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { type FakeRouteHandler, fakeRouteHandler, hour, signedIn, signedOut } from "./testing/routes.ts";

const server = startMswServer();
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A mounted store over a fake route handler holding `session`; `before` runs before the mount. */
function setup(
  session: SessionJson = signedIn(),
  options: AuthStoreOptions = {},
  before?: (routes: FakeRouteHandler) => void,
) {
  const routes = fakeRouteHandler(session);
  server.use(...routes.handlers);
  before?.(routes);
  const store = createAuthStore(options);
  cleanups.push(store.mount());
  return { routes, store };
}

/** A mounted store whose first session check fails this way. */
const firstCheckFails = (failure: Parameters<FakeRouteHandler["fail"]>[1]) =>
  setup(signedIn(), {}, (routes) => routes.fail("session", failure));

/** Resolves at the next change of the store's state. */
const nextChange = (store: AuthStore) =>
  new Promise<void>((resolve) => {
    const unsubscribe = store.subscribe(() => {
      unsubscribe();
      resolve();
    });
  });

const settled = async (routes: FakeRouteHandler, route: "session" | "refresh" | "logout", count: number) =>
  vi.waitFor(() => expect(routes.count(route)).toBe(count));

describe("status", () => {
  it("loading → authenticated from GET /session, with the session's metadata", async () => {
    const session = signedIn(hour, ["pins:read"]);
    const { store } = setup(session);
    expect(store.getState()).toMatchObject({ status: "loading", session: null, error: null });
    await nextChange(store);
    const state = store.getState();
    expect(state.status).toBe("authenticated");
    expect(state.session).toMatchObject({ scopes: ["pins:read"], refreshTokenExpiresAt: null });
    expect(state.session?.expiresAt).toBe(session.expiresAt);
    expect(state.error).toBeNull();
  });

  it("loading → unauthenticated", async () => {
    const { store } = setup(signedOut);
    await nextChange(store);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", session: null, error: null });
  });

  it("loading → error when the route cannot be reached, → authenticated on the back-off retry", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { routes, store } = firstCheckFails("network");
    await nextChange(store);
    const { status, error } = store.getState();
    expect(status).toBe("error");
    expect(error).toBeInstanceOf(PinterestAuthError);
    expect(error).toMatchObject({ code: "network_error", status: undefined });
    expect(error?.message).toMatch(/Could not reach \/api\/pinterest\/session: check your connection/);
    await vi.advanceTimersByTimeAsync(2000);
    await settled(routes, "session", 2);
    await vi.waitFor(() => expect(store.getState().status).toBe("authenticated"));
    expect(store.getState().error).toBeNull();
  });

  it("error with a message that points at basePath when the route answers something that is not pintoken's JSON", async () => {
    const { store } = firstCheckFails("html");
    await nextChange(store);
    expect(store.getState().error).toMatchObject({ code: "invalid_response", status: 404 });
    expect(store.getState().error?.message).toContain('basePath "/api/pinterest"');
  });

  it("error carries the route handler's code, message and status", async () => {
    const { store } = firstCheckFails({ status: 500, code: "internal_error" });
    await nextChange(store);
    expect(store.getState()).toMatchObject({ status: "error", error: { code: "internal_error", status: 500 } });
    expect(store.getState().error?.message).toBe("The route handler said internal_error.");
  });

  it("an action started by a subscriber during an update is a new request, not the one that just ended", async () => {
    const routes = fakeRouteHandler(signedIn());
    routes.fail("session", "network");
    server.use(...routes.handlers);
    const store = createAuthStore();
    let retried: Promise<unknown> | undefined;
    store.subscribe(() => {
      if (store.getState().status === "error") retried ??= store.reload();
    });
    cleanups.push(store.mount());
    await vi.waitFor(() => expect(retried).toBeDefined());
    await retried;
    expect(routes.count("session")).toBe(2);
    expect(store.getState().status).toBe("authenticated");
  });

  it("error → authenticated when the window regains focus", async () => {
    const { store } = firstCheckFails("network");
    await nextChange(store);
    expect(store.getState().status).toBe("error");
    window.dispatchEvent(new Event("focus"));
    await nextChange(store);
    expect(store.getState().status).toBe("authenticated");
  });

  it("authenticated → unauthenticated on logout, and → authenticated again after a new sign-in (focus)", async () => {
    const { routes, store } = setup(signedIn());
    await nextChange(store);
    const after = await store.logout();
    expect(after).toBe(store.getState());
    expect(after).toMatchObject({ status: "unauthenticated", session: null, error: null });
    routes.session = signedIn(); // signed in again, e.g. in another window
    window.dispatchEvent(new Event("focus"));
    await nextChange(store);
    expect(store.getState().status).toBe("authenticated");
  });

  it("authenticated → unauthenticated when a refresh finds the grant dead (the route handler cleared it)", async () => {
    const { routes, store } = setup(signedIn());
    await nextChange(store);
    routes.fail("refresh", { status: 401, code: "reauthorization_required", signOut: true });
    const after = await store.refresh();
    expect(after).toMatchObject({
      status: "unauthenticated",
      session: null,
      error: { code: "reauthorization_required", status: 401 },
    });
  });

  it("starts from initialSession without any request; null means signed out", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn(hour, ["boards:read"]) });
    expect(store.getState()).toMatchObject({ status: "authenticated", session: { scopes: ["boards:read"] } });
    expect(store.getServerState()).toBe(store.getState());
    const signedOutStore = createAuthStore({ initialSession: null });
    expect(signedOutStore.getState()).toMatchObject({ status: "unauthenticated", session: null });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(routes.requests).toEqual([]);
  });

  it("keeps only the contract's fields: a token a server adds by mistake never reaches the state", async () => {
    const leaky = { ...signedIn(), accessToken: "pina_secret", refreshToken: "pinr_secret" };
    const store = createAuthStore({ initialSession: leaky });
    expect(JSON.stringify(store.getState().session)).not.toContain("secret");
    const { store: fetched } = setup(leaky);
    await nextChange(fetched);
    expect(JSON.stringify(fetched.getState().session)).not.toContain("secret");
    expect(Object.keys(fetched.getState().session ?? {}).sort()).toEqual([
      "expiresAt",
      "expiresIn",
      "refreshTokenExpiresAt",
      "scopes",
    ]);
  });

  it("session.expiresIn() counts down at call time and stops at 0", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = createAuthStore({ initialSession: signedIn(90_000) });
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
    const { routes, store } = setup(signedIn());
    await nextChange(store);
    await store.refresh();
    await store.logout();
    expect(routes.requests).toEqual([
      { route: "session", method: "GET", accept: "application/json" },
      { route: "refresh", method: "POST", accept: "application/json" },
      { route: "logout", method: "POST", accept: "application/json" },
    ]);
  });

  it("concurrent calls of one action share one request and its result", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    const release = routes.hold("refresh");
    const calls = [store.refresh(), store.refresh(), store.refresh()];
    await settled(routes, "refresh", 1);
    release();
    const results = await Promise.all(calls);
    expect(routes.count("refresh")).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toBe(store.getState());
    await store.refresh(); // once settled, the next call is a new request
    expect(routes.count("refresh")).toBe(2);
  });

  it("dedupes logout and the session check the same way, each action on its own", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    const releaseSession = routes.hold("session");
    const releaseLogout = routes.hold("logout");
    const pending = [store.reload(), store.reload(), store.logout(), store.logout()];
    await settled(routes, "logout", 1);
    expect(routes.count("session")).toBe(1);
    releaseSession();
    releaseLogout();
    await Promise.all(pending);
    expect(routes.count("session")).toBe(1);
    expect(routes.count("logout")).toBe(1);
  });

  it("drops an answer that an action started later has overtaken (a refresh must not undo a logout)", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    const release = routes.hold("refresh");
    const refreshing = store.refresh();
    await settled(routes, "refresh", 1);
    await store.logout();
    expect(store.getState().status).toBe("unauthenticated");
    routes.session = signedIn(); // the refresh was handled before the logout on the server
    release();
    await refreshing;
    expect(store.getState().status).toBe("unauthenticated");
  });

  it("never rejects: a failed refresh keeps the session and reports the error", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    const before = store.getState().session;
    routes.fail("refresh", { status: 503, code: "pinterest_unavailable" });
    const after = await store.refresh();
    expect(after).toMatchObject({ status: "authenticated", error: { code: "pinterest_unavailable", status: 503 } });
    expect(after.session?.expiresAt).toBe(before?.expiresAt);
  });

  it("a logout that fails leaves the user signed in and says why", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    routes.fail("logout", { status: 403, code: "forbidden_origin" });
    const after = await store.logout();
    expect(after).toMatchObject({ status: "authenticated", error: { code: "forbidden_origin", status: 403 } });
  });

  it("a logout whose revocation Pinterest did not confirm still signs out, with the route handler's error", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    routes.revokeFails = true;
    const after = await store.logout();
    expect(after).toMatchObject({ status: "unauthenticated", error: { code: "revoke_failed", status: 200 } });
  });

  it("refresh while signed out: unauthenticated with not_signed_in", async () => {
    const { store } = setup(signedOut, { initialSession: null });
    expect(await store.refresh()).toMatchObject({ status: "unauthenticated", error: { code: "not_signed_in" } });
  });

  it("a session check that changes nothing keeps the last error; one that changes the session clears it", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: null });
    routes.fail("refresh", { status: 401, code: "not_signed_in", signOut: true });
    routes.session = signedOut;
    await store.refresh();
    expect(store.getState().error?.code).toBe("not_signed_in");
    await store.reload();
    expect(store.getState().error?.code).toBe("not_signed_in");
    routes.session = signedIn();
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

  it("rejects a basePath that is not a path on this site, saying what to pass", () => {
    for (const basePath of ["api/pinterest", "https://auth.example.com/api/pinterest", "//evil.example", "/"]) {
      expect(() => createAuthStore({ basePath })).toThrow(
        /basePath must be a path on this site, like "\/api\/pinterest"/,
      );
    }
  });

  it("turns ?pintoken_error= from a failed callback into the error and removes it from the address", async () => {
    history.replaceState({ kept: true }, "", "/welcome?pintoken_error=access_denied&tab=2#top");
    const { store } = setup(signedOut, { initialSession: null });
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: { code: "access_denied" } });
    expect(store.getState().error?.message).toMatch(/Pinterest sign-in failed \(access_denied\)\. Please try again/);
    expect(location.pathname + location.search + location.hash).toBe("/welcome?tab=2#top");
    expect(history.state).toEqual({ kept: true });
    history.replaceState(null, "", "/");
  });

  it("reports a callback error after the first session check when there is no initialSession", async () => {
    history.replaceState(null, "", "/?pintoken_error=state_mismatch");
    const { routes, store } = setup(signedOut);
    await vi.waitFor(() => expect(store.getState().error?.code).toBe("state_mismatch"));
    expect(store.getState().status).toBe("unauthenticated");
    expect(routes.count("session")).toBe(1);
    expect(location.search).toBe("");
  });
});

describe("keeping current", () => {
  it("asks for the session again on window focus and when back online", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedIn() });
    window.dispatchEvent(new Event("focus"));
    await settled(routes, "session", 1);
    window.dispatchEvent(new Event("online"));
    await settled(routes, "session", 2);
    routes.session = signedOut; // e.g. signed out in another browser
    window.dispatchEvent(new Event("focus"));
    await vi.waitFor(() => expect(store.getState().status).toBe("unauthenticated"));
  });

  it("refetchOnFocus: false and refetchOnReconnect: false turn that off", async () => {
    const { routes } = setup(signedIn(), {
      initialSession: signedIn(),
      refetchOnFocus: false,
      refetchOnReconnect: false,
    });
    window.dispatchEvent(new Event("focus"));
    window.dispatchEvent(new Event("online"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(routes.requests).toEqual([]);
  });

  it("tells subscribers once per change, and not at all when an answer changes nothing", async () => {
    const { routes, store } = setup(signedIn(), { initialSession: signedOut });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    routes.session = signedOut;
    await store.reload();
    expect(listener).not.toHaveBeenCalled();
    routes.session = signedIn();
    await store.reload();
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    await store.logout();
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
