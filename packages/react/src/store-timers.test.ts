import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AuthStoreOptions, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { hour, minute, type RealRouteHandler, realRouteHandler } from "./testing/route-handler.ts";

// Time is fake (timers and Date: the route handler and the mock Pinterest read the same clock); the route handler's
// own work (crypto, the mock) is real, so every step that sends a request waits for its answer (`settled`).
const server = startMswServer();
const day = 24 * hour;
let unmount: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});

afterEach(() => {
  unmount?.();
  unmount = undefined;
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** A browser signed in with access tokens that live `lifetimeMs`, and a store mounted with the server's session. */
async function setup(lifetimeMs: number, options: AuthStoreOptions = {}, before?: (routes: RealRouteHandler) => void) {
  const routes = realRouteHandler({ accessTokenMs: lifetimeMs });
  server.use(...routes.handlers);
  const session = await routes.signIn();
  before?.(routes);
  const store = createAuthStore({ initialSession: session, refetchOnFocus: false, ...options });
  unmount = store.mount();
  return { routes, store };
}

/** Moves the clock, then waits for the answers to whatever that set off. */
async function advance(routes: RealRouteHandler, ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await routes.settled();
}

describe("the scheduled refresh", () => {
  it("refreshes refreshBeforeExpiryMs ahead of expiry, then again ahead of the new expiry", async () => {
    const { routes, store } = await setup(10 * minute, { refreshBeforeExpiryMs: 2 * minute });
    await advance(routes, 8 * minute - 1);
    expect(routes.count("refresh")).toBe(0);
    await advance(routes, 1);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState().session?.expiresAt).toBe(Date.now() + 10 * minute);
    await advance(routes, 8 * minute);
    expect(routes.count("refresh")).toBe(2);
    // Each refresh rotated the refresh token at Pinterest: the route handler always used the newest one.
    const refreshes = routes.mock.calls.for("oauth/token").filter((call) => call.form?.grant_type === "refresh_token");
    expect(refreshes.map((call) => call.status)).toEqual([200, 200]);
  });

  it("defaults to one minute ahead", async () => {
    const { routes } = await setup(hour);
    await advance(routes, hour - minute - 1);
    expect(routes.count("refresh")).toBe(0);
    await advance(routes, 1);
    expect(routes.count("refresh")).toBe(1);
  });

  it("refreshes at once when the token has already expired", async () => {
    const { routes, store } = await setup(hour, {}, () => vi.setSystemTime(Date.now() + hour + 1000));
    await advance(routes, 0);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState().session?.expiresIn()).toBe(hour);
  });

  it("never more often than every half of the token's remaining lifetime (short-lived tokens)", async () => {
    const { routes } = await setup(30_000, { refreshBeforeExpiryMs: minute });
    await advance(routes, 15_000 - 1);
    expect(routes.count("refresh")).toBe(0);
    await advance(routes, 1);
    expect(routes.count("refresh")).toBe(1);
    await advance(routes, 15_000);
    expect(routes.count("refresh")).toBe(2);
  });

  it("does not fire at once for Pinterest's 30-day tokens (longer than setTimeout can wait)", async () => {
    const { routes } = await setup(30 * day);
    await advance(routes, 24 * day);
    expect(routes.count("refresh")).toBe(0);
    await advance(routes, 2 ** 31 - 1 - 24 * day); // the longest delay setTimeout takes (24.8 days), still ahead
    expect(routes.count("refresh")).toBe(1);
  });

  it("backs off on failures (2 s, 4 s, 8 s …) and returns to the normal schedule after a success", async () => {
    const { routes, store } = await setup(10 * minute);
    routes.mock.scenario("oauth/token").serverError({ status: 503 }).times(3);
    await advance(routes, 9 * minute);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState()).toMatchObject({ status: "authenticated", error: { code: "pinterest_unavailable" } });
    for (const [wait, count] of [
      [2000, 2],
      [4000, 3],
      [8000, 4],
    ] as const) {
      await advance(routes, wait - 1);
      expect(routes.count("refresh")).toBe(count - 1);
      await advance(routes, 1);
      expect(routes.count("refresh")).toBe(count);
    }
    expect(store.getState()).toMatchObject({ status: "authenticated", error: null });
    await advance(routes, 9 * minute - 1);
    expect(routes.count("refresh")).toBe(4);
    await advance(routes, 1);
    expect(routes.count("refresh")).toBe(5);
  });

  it("caps the back-off at five minutes", async () => {
    const { routes } = await setup(hour, {}, () => vi.setSystemTime(Date.now() + hour));
    routes.fail("refresh", "network", 20);
    await advance(routes, 0);
    const before = routes.count("refresh");
    await advance(routes, 2 * hour);
    const made = routes.count("refresh") - before;
    expect(made).toBeGreaterThanOrEqual(19); // 2+4+…+256 s, then every 300 s
    expect(made).toBeLessThanOrEqual(24 + 8);
  });

  it("stops when the route handler says the grant is dead", async () => {
    const { routes, store } = await setup(2 * minute);
    routes.mock.revokeAllTokens();
    await advance(routes, minute);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: { code: "reauthorization_required" } });
    await advance(routes, 10 * hour);
    expect(routes.count("refresh")).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is left to the visible tab: a hidden tab skips it and catches up when it gains focus", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes } = await setup(10 * minute, { refetchOnFocus: true });
    await advance(routes, hour);
    expect(routes.count("refresh")).toBe(0);
    visibility.mockReturnValue("visible");
    window.dispatchEvent(new Event("focus"));
    await advance(routes, 0);
    expect(routes.count("session")).toBe(1);
    expect(routes.count("refresh")).toBe(1); // the session it fetched was already due
  });

  it("a hidden tab looks again every minute, so it refreshes once visible even without a focus event", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes } = await setup(10 * minute);
    await advance(routes, 9 * minute + 50 * minute); // due at 9 minutes, then a look every minute
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    visibility.mockReturnValue("visible");
    await advance(routes, minute);
    expect(routes.count("refresh")).toBe(1);
    expect(routes.count("session")).toBe(0);
  });

  it("a hidden tab's pending refresh gives way to the visible tab's news", async () => {
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes, store } = await setup(2 * minute);
    await advance(routes, minute);
    const other = new BroadcastChannel("pintoken:/api/pinterest");
    const news = {
      status: "authenticated",
      scopes: ["user_accounts:read"],
      expiresAt: Date.now() + hour,
      refreshTokenExpiresAt: null,
    };
    other.postMessage({ type: "session", session: news });
    await vi.waitFor(() => expect(store.getState().session?.expiresAt).toBe(news.expiresAt));
    other.close();
    await advance(routes, hour - 2 * minute);
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("retries a logout that could not reach the route handler, with the same back-off", async () => {
    const { routes, store } = await setup(hour);
    routes.fail("logout", "network");
    await store.logout();
    expect(store.getState()).toMatchObject({ status: "authenticated", error: { code: "network_error" } });
    await advance(routes, 2000);
    expect(routes.count("logout")).toBe(2);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: null });
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("cookie mode: retries a sign-out Pinterest could not confirm until it does, while signed out", async () => {
    const routes = realRouteHandler({ mode: "cookie" });
    server.use(...routes.handlers);
    const session = await routes.signIn();
    const store = createAuthStore({ initialSession: session, refetchOnFocus: false });
    unmount = store.mount();
    const outage = routes.mock.scenario("token/revoke").serverError({ status: 503 }).always();
    await store.logout();
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: { code: "pinterest_unavailable" } });
    await advance(routes, 2000);
    expect(routes.count("logout")).toBe(2);
    outage.cancel();
    await advance(routes, 4000);
    expect(routes.count("logout")).toBe(3);
    expect(routes.mock.calls.for("token/revoke").map((call) => call.status)).toEqual([503, 503, 200]);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: null });
    await advance(routes, hour);
    expect(routes.count("logout")).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("retries a failed first session check with back-off", async () => {
    const routes = realRouteHandler();
    server.use(...routes.handlers);
    await routes.signIn();
    routes.store.fail("get", 2); // the token store is down for the next two reads
    const store = createAuthStore();
    unmount = store.mount();
    await advance(routes, 0);
    expect(store.getState()).toMatchObject({ status: "error", error: { code: "internal_error" } });
    await advance(routes, 2000);
    expect(routes.count("session")).toBe(2);
    await advance(routes, 4000);
    expect(routes.count("session")).toBe(3);
    expect(store.getState().status).toBe("authenticated");
    expect(vi.getTimerCount()).toBe(1); // the refresh ahead of expiry
  });
});

describe("unmount", () => {
  it("leaves no timer, no listener and no channel behind", async () => {
    const added = vi.spyOn(window, "addEventListener");
    const removed = vi.spyOn(window, "removeEventListener");
    const opened: BroadcastChannel[] = [];
    const Channel = globalThis.BroadcastChannel;
    vi.stubGlobal(
      "BroadcastChannel",
      class extends Channel {
        constructor(name: string) {
          super(name);
          opened.push(this);
        }
      },
    );
    const closed = vi.spyOn(Channel.prototype, "close");
    const { routes, store } = await setup(10 * minute, { refetchOnFocus: true });
    routes.fail("refresh", "network");
    await advance(routes, 9 * minute); // a failed refresh: a back-off timer is armed
    expect(vi.getTimerCount()).toBe(1);
    expect(added.mock.calls.map(([type]) => type).sort()).toEqual(["focus", "online"]);
    expect(opened).toHaveLength(1);

    unmount?.();
    unmount = undefined;
    expect(vi.getTimerCount()).toBe(0);
    expect(removed.mock.calls).toEqual(added.mock.calls.map(([type, listener]) => [type, listener]));
    expect(closed).toHaveBeenCalledTimes(1);
    expect(closed.mock.contexts[0]).toBe(opened[0]);

    window.dispatchEvent(new Event("focus")); // nothing listens any more
    await advance(routes, hour);
    expect(routes.requests.map((request) => request.route)).toEqual(["refresh"]);
    expect(store.getState().status).toBe("authenticated");
  });

  it("an answer that arrives after unmount arms no timer", async () => {
    const { routes, store } = await setup(10 * minute);
    const release = routes.hold("refresh");
    const refreshing = store.refresh();
    await vi.waitFor(() => expect(routes.count("refresh")).toBe(1));
    unmount?.();
    unmount = undefined;
    release();
    await refreshing;
    expect(store.getState().session?.expiresIn()).toBe(10 * minute);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("counts mounts: StrictMode's mount, unmount, mount keeps one set of listeners running", async () => {
    const added = vi.spyOn(window, "addEventListener");
    const { routes, store } = await setup(10 * minute, { refetchOnFocus: true });
    const second = store.mount();
    unmount?.();
    unmount = second;
    expect(added).toHaveBeenCalledTimes(2);
    window.dispatchEvent(new Event("focus"));
    await advance(routes, 0);
    expect(routes.count("session")).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
  });
});
