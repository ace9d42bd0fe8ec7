import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { StrictMode, version } from "react";
import { version as domVersion } from "react-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  PinterestAuthProvider,
  type PinterestAuthProviderProps,
  type SessionJson,
  useExpiresIn,
  usePinterestAuth,
} from "./index.ts";
import { startMswServer } from "./testing/msw.ts";
import { hour, type RealRouteHandler, type RouteHandlerOptions, realRouteHandler } from "./testing/route-handler.ts";

const server = startMswServer();

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function Status({ name = "status" }: { name?: string }) {
  const auth = usePinterestAuth();
  return (
    <p data-testid={name}>
      {auth.status}
      {auth.status === "authenticated" && ` ${auth.session.scopes.join(",")} ${auth.session.expiresAt}`}
      {auth.error && ` [${auth.error.code}]`}
    </p>
  );
}

function Buttons() {
  const { login, logout, refresh, reload } = usePinterestAuth();
  return (
    <>
      <button type="button" onClick={() => login({ returnTo: "/boards", scopes: ["boards:read"] })}>
        login
      </button>
      <button type="button" onClick={() => void logout()}>
        logout
      </button>
      <button type="button" onClick={() => void refresh()}>
        refresh
      </button>
      <button type="button" onClick={() => void reload()}>
        reload
      </button>
    </>
  );
}

function Actions({ seen }: { seen: Set<unknown> }) {
  const { login, logout, refresh, reload } = usePinterestAuth();
  seen.add(login).add(logout).add(refresh).add(reload);
  return null;
}

interface AppSetup {
  /** Sign in before rendering. Default true. */
  signedIn?: boolean;
  scopes?: string[];
  /** Render with the server's session as `initialSession`, as a layout that read it would. */
  initial?: boolean;
  props?: Omit<PinterestAuthProviderProps, "children">;
  handler?: RouteHandlerOptions;
  before?: (routes: RealRouteHandler) => void;
}

/** The real route handler, a browser signed in on it (or not), and the provider with two subscribers. */
async function app({ signedIn = true, scopes, initial, props = {}, handler, before }: AppSetup = {}) {
  const routes = realRouteHandler(handler);
  server.use(...routes.handlers);
  const session: SessionJson = signedIn ? await routes.signIn(scopes) : { status: "unauthenticated" };
  before?.(routes);
  const view = render(
    <PinterestAuthProvider {...(initial ? { initialSession: session } : {})} {...props}>
      <Status />
      <Status name="other" />
      <Buttons />
    </PinterestAuthProvider>,
  );
  return { routes, view, session };
}

const text = (name = "status") => screen.getByTestId(name).textContent;

it(`runs on the React under test (react ${version}, react-dom ${domVersion})`, () => {
  const major = process.env.PINTOKEN_REACT_MAJOR;
  expect(major).toMatch(/^1[89]$/);
  expect(version.split(".")[0]).toBe(major);
  expect(domVersion.split(".")[0]).toBe(major);
});

describe("usePinterestAuth", () => {
  it("loading → authenticated, in every subscriber", async () => {
    const { session } = await app({ scopes: ["pins:read"] });
    expect(text()).toBe("loading");
    const expiresAt = session.status === "authenticated" && session.expiresAt;
    await vi.waitFor(() => expect(text()).toBe(`authenticated user_accounts:read,pins:read ${expiresAt}`));
    expect(text("other")).toBe(text());
  });

  it("loading → unauthenticated", async () => {
    await app({ signedIn: false });
    await vi.waitFor(() => expect(text()).toBe("unauthenticated"));
    expect(text("other")).toBe("unauthenticated");
  });

  it("loading → error → authenticated on focus", async () => {
    await app({ before: (routes) => routes.store.fail("get") }); // the server's token store is down once
    await vi.waitFor(() => expect(text()).toBe("error [internal_error]"));
    act(() => void window.dispatchEvent(new Event("focus")));
    await vi.waitFor(() => expect(text()).toMatch(/^authenticated user_accounts:read \d+$/));
  });

  it("logout updates both subscribers", async () => {
    const { routes } = await app({ initial: true });
    expect(text()).toMatch(/^authenticated/);
    fireEvent.click(screen.getByText("logout"));
    await vi.waitFor(() => expect(text()).toBe("unauthenticated"));
    expect(text("other")).toBe("unauthenticated");
    expect(routes.count("logout")).toBe(1);
  });

  it("refresh updates both subscribers with the new expiry", async () => {
    const { routes } = await app({ initial: true, handler: { accessTokenMs: 5 * hour } });
    const before = text();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 60_000); // a minute later: the new token expires later than the old one
    fireEvent.click(screen.getByText("refresh"));
    await vi.waitFor(() => expect(text()).not.toBe(before));
    const session = await routes.session();
    expect(text()).toBe(`authenticated user_accounts:read ${session.status === "authenticated" && session.expiresAt}`);
    expect(text("other")).toBe(text());
  });

  it("reload asks the route handler for the session now and updates both subscribers", async () => {
    const { routes } = await app({ initial: true, props: { refetchOnFocus: false } });
    expect(text()).toMatch(/^authenticated user_accounts:read /);
    await routes.signOutElsewhere(); // signed out on the server (another device)
    fireEvent.click(screen.getByText("reload"));
    await vi.waitFor(() => expect(text()).toBe("unauthenticated"));
    expect(text("other")).toBe("unauthenticated");
    expect(routes.requests).toEqual([{ route: "session", method: "GET", accept: "application/json" }]);
  });

  it("a refresh that fails keeps the user signed in and shows the error", async () => {
    const { routes } = await app({ initial: true });
    routes.mock.scenario("oauth/token").serverError({ status: 503 }).once();
    fireEvent.click(screen.getByText("refresh"));
    expect(await screen.findAllByText(/^authenticated user_accounts:read .* \[pinterest_unavailable\]$/)).toHaveLength(
      2,
    );
  });

  it("clicks while a request is in flight share it", async () => {
    const { routes } = await app({ initial: true });
    const release = routes.hold("logout");
    for (let i = 0; i < 3; i++) fireEvent.click(screen.getByText("logout"));
    await vi.waitFor(() => expect(routes.count("logout")).toBe(1));
    release();
    await vi.waitFor(() => expect(text()).toBe("unauthenticated"));
    expect(routes.count("logout")).toBe(1);
  });

  it("login navigates to the route handler's login route with returnTo and scopes", async () => {
    const assign = vi.spyOn(window.location, "assign").mockImplementation(() => {});
    await app({ signedIn: false, initial: true, props: { basePath: "/auth" } });
    fireEvent.click(screen.getByText("login"));
    expect(assign).toHaveBeenCalledExactlyOnceWith("/auth/login?returnTo=%2Fboards&scopes=boards%3Aread");
  });

  it("the actions are stable across renders", async () => {
    const seen = new Set<unknown>();
    const routes = realRouteHandler();
    server.use(...routes.handlers);
    await routes.signIn();
    render(
      <PinterestAuthProvider>
        <Actions seen={seen} />
        <Status />
      </PinterestAuthProvider>,
    );
    await screen.findByText(/^authenticated/);
    expect(seen.size).toBe(4);
  });

  it("throws a clear error outside the provider", () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // React reports the render error too
    expect(() => render(<Status />)).toThrow(
      "usePinterestAuth must be used inside PinterestAuthProvider: wrap your app in <PinterestAuthProvider>.",
    );
  });

  it("StrictMode (mount, unmount, mount) asks for the session once", async () => {
    const routes = realRouteHandler();
    server.use(...routes.handlers);
    await routes.signIn();
    render(
      <StrictMode>
        <PinterestAuthProvider>
          <Status />
        </PinterestAuthProvider>
      </StrictMode>,
    );
    await screen.findByText(/^authenticated/);
    expect(routes.count("session")).toBe(1);
  });

  it("unmounting the provider leaves no timer, listener or channel behind", async () => {
    const routes = realRouteHandler();
    server.use(...routes.handlers);
    const session = await routes.signIn();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    const added = vi.spyOn(window, "addEventListener");
    const removed = vi.spyOn(window, "removeEventListener");
    const closed = vi.spyOn(BroadcastChannel.prototype, "close");
    const { unmount } = render(
      <PinterestAuthProvider initialSession={session}>
        <Status />
      </PinterestAuthProvider>,
    );
    const ours = (calls: unknown[][]) => calls.filter(([type]) => type === "focus" || type === "online");
    expect(ours(added.mock.calls)).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1); // the scheduled refresh
    unmount();
    expect(vi.getTimerCount()).toBe(0);
    expect(ours(removed.mock.calls)).toEqual(ours(added.mock.calls).map(([type, listener]) => [type, listener]));
    expect(closed).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2 * hour);
    act(() => void window.dispatchEvent(new Event("focus")));
    await routes.settled();
    expect(routes.requests).toEqual([]);
  });
});

function Countdown() {
  const expiresIn = useExpiresIn(1000);
  return <p data-testid="countdown">{expiresIn === null ? "none" : `${expiresIn / 1000} s`}</p>;
}

describe("useExpiresIn", () => {
  it("ticks after mount, and is null while signed out", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const routes = realRouteHandler({ accessTokenMs: 90_000 });
    server.use(...routes.handlers);
    const session = await routes.signIn();
    render(
      <PinterestAuthProvider initialSession={session}>
        <Countdown />
        <Buttons />
      </PinterestAuthProvider>,
    );
    expect(text("countdown")).toBe("90 s");
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(text("countdown")).toBe("87 s");
    fireEvent.click(screen.getByText("logout"));
    await act(() => routes.settled());
    expect(text("countdown")).toBe("none");
  });
});
