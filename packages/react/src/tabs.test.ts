import { afterEach, describe, expect, it, vi } from "vitest";
import { type AuthStore, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { fakeRouteHandler, hour, signedIn } from "./testing/routes.ts";

// Two stores on one BroadcastChannel name in one process are two tabs of one browser: the same channel semantics,
// the same route handler (one cookie jar).
const server = startMswServer();
const unmounts: (() => void)[] = [];

afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});

/** The route handler (signed in) and two mounted tabs. */
function twoTabs() {
  const routes = fakeRouteHandler(signedIn());
  server.use(...routes.handlers);
  return { routes, first: tab(), second: tab() };
}

function tab(options: Parameters<typeof createAuthStore>[0] = {}): AuthStore {
  const store = createAuthStore({ initialSession: signedIn(hour, ["pins:read"]), ...options });
  unmounts.push(store.mount());
  return store;
}

describe("two tabs", () => {
  it("logout in one signs the other out", async () => {
    const { routes, first, second } = twoTabs();
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    expect(second.getState().error).toBeNull();
    expect(routes.requests.map((request) => request.route)).toEqual(["logout"]); // the other tab learnt it for free
  });

  it("a refresh in one updates the other's session (and so its refresh schedule)", async () => {
    const routes = fakeRouteHandler(signedIn());
    routes.lifetimeMs = 5 * hour;
    server.use(...routes.handlers);
    const [first, second] = [tab(), tab()];
    await first.refresh();
    const expiresAt = first.getState().session?.expiresAt;
    await vi.waitFor(() => expect(second.getState().session?.expiresAt).toBe(expiresAt));
    expect(routes.count("refresh")).toBe(1);
  });

  it("a sign-in seen by one tab reaches the others", async () => {
    const routes = fakeRouteHandler(signedIn(hour, ["boards:read"]));
    server.use(...routes.handlers);
    const [first, second] = [tab({ initialSession: null }), tab({ initialSession: null })];
    await first.reload();
    expect(first.getState().status).toBe("authenticated");
    await vi.waitFor(() => expect(second.getState().session?.scopes).toEqual(["boards:read"]));
  });

  it("a message settles in the other tab without echoing back (no ping-pong between tabs)", async () => {
    const { first, second } = twoTabs();
    const seen: unknown[] = [];
    const spy = new BroadcastChannel("pintoken:/api/pinterest");
    spy.onmessage = ({ data }) => seen.push(data);
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    spy.close();
    expect(seen).toEqual([{ type: "session", session: { status: "unauthenticated" } }]);
  });

  it("an answer the other tab had in flight does not undo what the message said", async () => {
    const { routes, first, second } = twoTabs();
    const release = routes.hold("session");
    const checking = second.reload();
    await vi.waitFor(() => expect(routes.count("session")).toBe(1));
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    routes.session = signedIn(); // the held answer was read before the logout: it says "authenticated"
    release();
    await checking;
    expect(second.getState().status).toBe("unauthenticated");
  });

  it("a logout answered after another tab's news still signs out (the route handler confirmed it)", async () => {
    const { routes, first, second } = twoTabs();
    const release = routes.hold("logout");
    const loggingOut = first.logout();
    await vi.waitFor(() => expect(routes.count("logout")).toBe(1));
    await second.refresh(); // read by the route handler before the logout: "authenticated", posted to `first`
    await vi.waitFor(() => expect(first.getState().session?.expiresAt).toBe(second.getState().session?.expiresAt));
    release();
    await loggingOut;
    expect(first.getState()).toMatchObject({ status: "unauthenticated", error: null });
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
  });

  it("ignores messages of other route handlers (another basePath) and malformed ones", async () => {
    const routes = fakeRouteHandler(signedIn());
    server.use(...routes.handlers);
    const store = tab();
    const other = new BroadcastChannel("pintoken:/auth/other");
    const same = new BroadcastChannel("pintoken:/api/pinterest");
    other.postMessage({ type: "session", session: { status: "unauthenticated" } });
    same.postMessage({ type: "session", session: { status: "authenticated", scopes: "pins:read" } });
    same.postMessage({ type: "hello" });
    same.postMessage("unauthenticated");
    await new Promise((resolve) => setTimeout(resolve, 50));
    other.close();
    same.close();
    expect(store.getState().status).toBe("authenticated");
  });

  it("works where BroadcastChannel does not exist (one tab only)", async () => {
    const routes = fakeRouteHandler(signedIn());
    server.use(...routes.handlers);
    vi.stubGlobal("BroadcastChannel", undefined);
    try {
      const store = tab();
      await store.logout();
      expect(store.getState().status).toBe("unauthenticated");
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
