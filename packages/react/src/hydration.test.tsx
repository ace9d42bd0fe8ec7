import { act } from "@testing-library/react";
import { hydrateRoot, type Root } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterEach, expect, it, vi } from "vitest";
import { PinterestAuthProvider, type SessionJson, useExpiresIn, usePinterestAuth } from "./index.ts";
import { startMswServer } from "./testing/msw.ts";
import { hour, realRouteHandler } from "./testing/route-handler.ts";

const server = startMswServer();
let root: Root | undefined;

afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  document.body.innerHTML = "";
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function Page() {
  const { status, session } = usePinterestAuth();
  const expiresIn = useExpiresIn();
  return (
    <main>
      <p>{status}</p>
      {session && <p>scopes: {session.scopes.join(", ")}</p>}
      <p>{expiresIn === null ? "expiry unknown" : `expires in ${Math.round(expiresIn / 60_000)} min`}</p>
    </main>
  );
}

const app = (initialSession?: SessionJson) => (
  <PinterestAuthProvider initialSession={initialSession}>
    <Page />
  </PinterestAuthProvider>
);

/** Renders `element` as the server would, then hydrates that HTML in the browser. */
async function serverRenderThenHydrate(element: React.ReactElement) {
  const container = document.createElement("div");
  container.innerHTML = renderToString(element);
  document.body.append(container);
  const serverHtml = container.innerHTML;
  const recoverable = vi.fn();
  await act(async () => {
    root = hydrateRoot(container, element, { onRecoverableError: recoverable });
  });
  return { container, serverHtml, recoverable };
}

/** The real route handler, with a browser signed in on it (`scopes` besides the configured ones). */
async function signedIn(options: { scopes?: string[]; accessTokenMs?: number } = {}) {
  const routes = realRouteHandler({ accessTokenMs: options.accessTokenMs ?? hour });
  server.use(...routes.handlers);
  return { routes, session: await routes.signIn(options.scopes) };
}

it("hydrates the server's HTML from initialSession without a warning, then shows the live expiry", async () => {
  const { routes, session } = await signedIn({ scopes: ["pins:read"], accessTokenMs: 2 * hour });
  vi.useFakeTimers({ toFake: ["Date"] });
  const errors = vi.spyOn(console, "error");
  const warnings = vi.spyOn(console, "warn");

  const { container, serverHtml, recoverable } = await serverRenderThenHydrate(app(session));

  expect(errors).not.toHaveBeenCalled();
  expect(warnings).not.toHaveBeenCalled();
  expect(recoverable).not.toHaveBeenCalled();
  expect(serverHtml).toContain("expiry unknown");
  expect(container.textContent).toBe("authenticatedscopes: user_accounts:read, pins:readexpires in 120 min");
  await routes.settled();
  expect(routes.requests).toEqual([]); // initialSession is trusted: no session request on hydration
});

it("hydrates a loading page without a warning, then fetches the session", async () => {
  const { routes } = await signedIn({ scopes: ["boards:read"] });
  const errors = vi.spyOn(console, "error");

  const { container, serverHtml, recoverable } = await serverRenderThenHydrate(app());

  expect(serverHtml).toContain("loading");
  await vi.waitFor(() => expect(container.textContent).toContain("scopes: user_accounts:read, boards:read"));
  expect(routes.count("session")).toBe(1);
  expect(errors).not.toHaveBeenCalled();
  expect(recoverable).not.toHaveBeenCalled();
});

it("a state that changed before hydration finished still hydrates cleanly (server snapshot first)", async () => {
  const { session } = await signedIn();
  const errors = vi.spyOn(console, "error");
  // another tab signed out while this page's HTML was on its way
  const channel = new BroadcastChannel("pintoken:/api/pinterest");
  const { container, recoverable } = await serverRenderThenHydrate(app(session));
  channel.postMessage({ type: "session", session: { status: "unauthenticated" }, previous: session });
  await vi.waitFor(() => expect(container.textContent).toBe("unauthenticatedexpiry unknown"));
  channel.close();
  expect(errors).not.toHaveBeenCalled();
  expect(recoverable).not.toHaveBeenCalled();
});
