import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AuthStoreOptions, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { fakeRouteHandler, hour, signedIn, signedOut } from "./testing/routes.ts";

const server = startMswServer();
const minute = 60_000;
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

function setup(expiresInMs: number, options: AuthStoreOptions = {}) {
  const session = signedIn(expiresInMs);
  const routes = fakeRouteHandler(session);
  server.use(...routes.handlers);
  const store = createAuthStore({ initialSession: session, refetchOnFocus: false, ...options });
  unmount = store.mount();
  return { routes, store };
}

describe("the scheduled refresh", () => {
  it("refreshes refreshBeforeExpiryMs ahead of expiry, then again ahead of the new expiry", async () => {
    const { routes, store } = setup(10 * minute, { refreshBeforeExpiryMs: 2 * minute });
    routes.lifetimeMs = 10 * minute;
    await vi.advanceTimersByTimeAsync(8 * minute - 1);
    expect(routes.count("refresh")).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState().session?.expiresAt).toBe(Date.now() + 10 * minute);
    await vi.advanceTimersByTimeAsync(8 * minute);
    expect(routes.count("refresh")).toBe(2);
  });

  it("defaults to one minute ahead", async () => {
    const { routes } = setup(hour);
    await vi.advanceTimersByTimeAsync(hour - minute - 1);
    expect(routes.count("refresh")).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(routes.count("refresh")).toBe(1);
  });

  it("refreshes at once when the token has already expired", async () => {
    const { routes, store } = setup(-1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState().session?.expiresIn()).toBe(hour);
  });

  it("never more often than every half of the token's remaining lifetime (short-lived tokens)", async () => {
    const { routes } = setup(30_000, { refreshBeforeExpiryMs: minute });
    routes.lifetimeMs = 30_000;
    await vi.advanceTimersByTimeAsync(15_000 - 1);
    expect(routes.count("refresh")).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(routes.count("refresh")).toBe(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(routes.count("refresh")).toBe(2);
  });

  it("does not fire at once for Pinterest's 30-day tokens (longer than setTimeout can wait)", async () => {
    const day = 24 * hour;
    const { routes } = setup(30 * day);
    routes.lifetimeMs = 30 * day;
    await vi.advanceTimersByTimeAsync(24 * day);
    expect(routes.count("refresh")).toBe(0);
    await vi.advanceTimersByTimeAsync(day);
    expect(routes.count("refresh")).toBe(1); // at the longest delay setTimeout takes (24.8 days), still ahead
  });

  it("backs off on failures (2 s, 4 s, 8 s …) and returns to the normal schedule after a success", async () => {
    const { routes, store } = setup(10 * minute);
    routes.fail("refresh", { status: 503, code: "pinterest_unavailable" }, 3);
    await vi.advanceTimersByTimeAsync(9 * minute);
    expect(routes.count("refresh")).toBe(1);
    expect(store.getState()).toMatchObject({ status: "authenticated", error: { code: "pinterest_unavailable" } });
    for (const [wait, count] of [
      [2000, 2],
      [4000, 3],
      [8000, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(routes.count("refresh")).toBe(count - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(routes.count("refresh")).toBe(count);
    }
    expect(store.getState()).toMatchObject({ status: "authenticated", error: null });
    await vi.advanceTimersByTimeAsync(hour - 2 * minute);
    expect(routes.count("refresh")).toBe(4);
    await vi.advanceTimersByTimeAsync(minute);
    expect(routes.count("refresh")).toBe(5);
  });

  it("caps the back-off at five minutes", async () => {
    const { routes } = setup(0);
    routes.fail("refresh", "network", 20);
    await vi.advanceTimersByTimeAsync(0);
    const before = routes.count("refresh");
    await vi.advanceTimersByTimeAsync(2 * hour);
    const made = routes.count("refresh") - before;
    expect(made).toBeGreaterThanOrEqual(19); // 2+4+…+256 s, then every 300 s
    expect(made).toBeLessThanOrEqual(24 + 8);
  });

  it("stops when the route handler says the grant is dead", async () => {
    const { routes, store } = setup(minute * 2);
    routes.fail("refresh", { status: 401, code: "reauthorization_required", signOut: true });
    await vi.advanceTimersByTimeAsync(minute);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: { code: "reauthorization_required" } });
    await vi.advanceTimersByTimeAsync(10 * hour);
    expect(routes.count("refresh")).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is left to the visible tab: a hidden tab skips it and catches up when it gains focus", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes } = setup(10 * minute, { refetchOnFocus: true });
    await vi.advanceTimersByTimeAsync(hour);
    expect(routes.count("refresh")).toBe(0);
    visibility.mockReturnValue("visible");
    window.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(0);
    expect(routes.count("session")).toBe(1);
    expect(routes.count("refresh")).toBe(1); // the session it fetched was already due
  });

  it("a hidden tab looks again every minute, so it refreshes once visible even without a focus event", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes } = setup(10 * minute);
    await vi.advanceTimersByTimeAsync(hour);
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    visibility.mockReturnValue("visible");
    await vi.advanceTimersByTimeAsync(minute);
    expect(routes.count("refresh")).toBe(1);
    expect(routes.count("session")).toBe(0);
  });

  it("a hidden tab's pending refresh gives way to the visible tab's news", async () => {
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const { routes, store } = setup(2 * minute);
    await vi.advanceTimersByTimeAsync(minute);
    const other = new BroadcastChannel("pintoken:/api/pinterest");
    const news = signedIn(hour);
    other.postMessage({ type: "session", session: news });
    await vi.waitFor(() => expect(store.getState().session?.expiresAt).toBe(news.expiresAt));
    other.close();
    await vi.advanceTimersByTimeAsync(hour - 3 * minute);
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("retries a logout that could not reach the route handler, with the same back-off", async () => {
    const { routes, store } = setup(hour);
    routes.fail("logout", "network");
    await store.logout();
    expect(store.getState()).toMatchObject({ status: "authenticated", error: { code: "network_error" } });
    await vi.advanceTimersByTimeAsync(2000);
    expect(routes.count("logout")).toBe(2);
    expect(store.getState()).toMatchObject({ status: "unauthenticated", error: null });
    expect(routes.count("refresh")).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("retries a failed first session check with back-off", async () => {
    const routes = fakeRouteHandler(signedOut);
    routes.fail("session", { status: 500, code: "internal_error" }, 2);
    server.use(...routes.handlers);
    const store = createAuthStore();
    unmount = store.mount();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().status).toBe("error");
    await vi.advanceTimersByTimeAsync(2000);
    expect(routes.count("session")).toBe(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(routes.count("session")).toBe(3);
    expect(store.getState().status).toBe("unauthenticated");
    expect(vi.getTimerCount()).toBe(0);
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
    const { routes, store } = setup(10 * minute, { refetchOnFocus: true });
    routes.fail("refresh", "network");
    await vi.advanceTimersByTimeAsync(9 * minute); // a failed refresh: a back-off timer is armed
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
    await vi.advanceTimersByTimeAsync(hour);
    expect(routes.requests.map((request) => request.route)).toEqual(["refresh"]);
    expect(store.getState().status).toBe("authenticated");
  });

  it("an answer that arrives after unmount arms no timer", async () => {
    const { routes, store } = setup(10 * minute);
    const release = routes.hold("refresh");
    const refreshing = store.refresh();
    await vi.advanceTimersByTimeAsync(0);
    unmount?.();
    unmount = undefined;
    release();
    await refreshing;
    expect(store.getState().session?.expiresIn()).toBe(hour);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("counts mounts: StrictMode's mount, unmount, mount keeps one set of listeners running", async () => {
    const added = vi.spyOn(window, "addEventListener");
    const { routes, store } = setup(10 * minute, { refetchOnFocus: true });
    const second = store.mount();
    unmount?.();
    unmount = second;
    expect(added).toHaveBeenCalledTimes(2);
    window.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(0);
    expect(routes.count("session")).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
  });
});
