import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionJson } from "./session.ts";
import { type AuthStore, createAuthStore } from "./store.ts";
import { startMswServer } from "./testing/msw.ts";
import { hour, type RealRouteHandler, realRouteHandler } from "./testing/route-handler.ts";

// Two stores on one BroadcastChannel name in one process are two tabs of one browser: the same channel semantics,
// the same route handler and cookie jar.
const server = startMswServer();
const unmounts: (() => void)[] = [];

afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function tab(initialSession: SessionJson | null | undefined): AuthStore {
  const store = createAuthStore({ initialSession, refetchOnFocus: false });
  unmounts.push(store.mount());
  return store;
}

/** The real route handler, a browser signed in on it, and two tabs that rendered with its session. */
async function twoTabs(routes: RealRouteHandler = realRouteHandler()) {
  server.use(...routes.handlers);
  const session = await routes.signIn();
  return { routes, first: tab(session), second: tab(session) };
}

describe("two tabs", () => {
  it("logout in one signs the other out", async () => {
    const { routes, first, second } = await twoTabs();
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    expect(second.getState().error).toBeNull();
    expect(routes.requests.map((request) => request.route)).toEqual(["logout"]); // the other tab learnt it for free
  });

  it("a refresh in one updates the other's session (and so its refresh schedule)", async () => {
    const { routes, first, second } = await twoTabs(realRouteHandler({ accessTokenMs: 5 * hour }));
    await first.refresh();
    const expiresAt = first.getState().session?.expiresAt;
    await vi.waitFor(() => expect(second.getState().session?.expiresAt).toBe(expiresAt));
    expect(routes.count("refresh")).toBe(1);
  });

  it("a sign-in seen by one tab reaches the others", async () => {
    const routes = realRouteHandler();
    server.use(...routes.handlers);
    const [first, second] = [tab(null), tab(null)];
    await routes.signIn(["boards:read"]); // in a third window of the browser
    await first.reload();
    expect(first.getState().status).toBe("authenticated");
    await vi.waitFor(() => expect(second.getState().session?.scopes).toEqual(["user_accounts:read", "boards:read"]));
  });

  it("a message settles in the other tab without echoing back (no ping-pong between tabs)", async () => {
    const { first, second } = await twoTabs();
    const posted = vi.spyOn(BroadcastChannel.prototype, "postMessage");
    const before = first.getState().session;
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    // The other tab applied it in the task that delivered it: an echo would have been posted by now.
    expect(posted.mock.calls).toEqual([
      [
        {
          type: "session",
          session: { status: "unauthenticated" },
          previous: expect.objectContaining(before && { expiresAt: before.expiresAt }),
        },
      ],
    ]);
  });

  it("an answer the other tab had in flight does not undo what the message said", async () => {
    const { routes, first, second } = await twoTabs();
    const release = routes.hold("session", "answer"); // answered "authenticated", still on its way
    const checking = second.reload();
    await vi.waitFor(() => expect(routes.count("session")).toBe(1));
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
    release();
    await checking;
    expect(second.getState().status).toBe("unauthenticated");
  });

  it("a logout answered after another tab's news still signs out (the route handler confirmed it)", async () => {
    const { routes, first, second } = await twoTabs();
    const release = routes.hold("logout");
    const loggingOut = first.logout();
    await vi.waitFor(() => expect(routes.count("logout")).toBe(1));
    await second.refresh(); // answered before the logout: "authenticated", posted to `first`
    await vi.waitFor(() => expect(first.getState().session?.expiresAt).toBe(second.getState().session?.expiresAt));
    release();
    await loggingOut;
    expect(first.getState()).toMatchObject({ status: "unauthenticated", error: null });
    await vi.waitFor(() => expect(second.getState().status).toBe("unauthenticated"));
  });

  it("ignores messages of other route handlers (another basePath) and malformed ones", async () => {
    const { first } = await twoTabs();
    const other = new BroadcastChannel("pintoken:/auth/other");
    const same = new BroadcastChannel("pintoken:/api/pinterest");
    other.postMessage({ type: "session", session: { status: "unauthenticated" } });
    same.postMessage({ type: "session", session: { status: "authenticated", scopes: "pins:read" } });
    same.postMessage({ type: "hello" });
    same.postMessage("unauthenticated");
    // One sender's messages arrive in order: once this valid one is applied, the ones before it were seen and ignored.
    const marker = {
      status: "authenticated",
      scopes: ["marker"],
      expiresAt: Date.now() + hour,
      refreshTokenExpiresAt: null,
    };
    same.postMessage({ type: "session", session: marker });
    await vi.waitFor(() => expect(first.getState().session?.scopes).toEqual(["marker"]));
    other.close();
    same.close();
    expect(first.getState().status).toBe("authenticated");
  });

  it("works where BroadcastChannel does not exist (one tab only)", async () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    const { first } = await twoTabs();
    await first.logout();
    expect(first.getState().status).toBe("unauthenticated");
  });
});
