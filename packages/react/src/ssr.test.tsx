// @vitest-environment node
import { renderToString } from "react-dom/server";
import { afterEach, expect, it, vi } from "vitest";
import { PinterestAuthProvider, type SessionJson, useExpiresIn, usePinterestAuth } from "./index.ts";

/** Session JSON as the server's getSession() gives it (no route handler here: nothing may be requested). */
const signedIn = (expiresInMs: number, scopes: string[]): SessionJson => ({
  status: "authenticated",
  scopes,
  expiresAt: Date.now() + expiresInMs,
  refreshTokenExpiresAt: null,
});

// The server: no window, no location, no BroadcastChannel use, no timers and not a single request.
afterEach(() => vi.restoreAllMocks());

function Page() {
  const { status, session } = usePinterestAuth();
  const expiresIn = useExpiresIn();
  return (
    <main>
      {status}:{session?.scopes.join(",")}:{String(expiresIn)}
    </main>
  );
}

it("renders initialSession on the server without a request, a timer or a browser API", () => {
  expect(typeof window).toBe("undefined");
  const fetch = vi.spyOn(globalThis, "fetch");
  const setTimeout = vi.spyOn(globalThis, "setTimeout");
  const setInterval = vi.spyOn(globalThis, "setInterval");
  const html = renderToString(
    <PinterestAuthProvider initialSession={signedIn(3_600_000, ["pins:read", "boards:read"])}>
      <Page />
    </PinterestAuthProvider>,
  );
  expect(html).toBe("<main>authenticated<!-- -->:<!-- -->pins:read,boards:read<!-- -->:<!-- -->null</main>");
  expect(fetch).not.toHaveBeenCalled();
  expect(setTimeout).not.toHaveBeenCalled();
  expect(setInterval).not.toHaveBeenCalled();
});

it("renders loading without initialSession and signed out with null, still without a request", () => {
  const fetch = vi.spyOn(globalThis, "fetch");
  const render = (initialSession?: null) =>
    renderToString(
      <PinterestAuthProvider initialSession={initialSession}>
        <Page />
      </PinterestAuthProvider>,
    );
  expect(render()).toContain("loading");
  expect(render(null)).toContain("unauthenticated");
  expect(fetch).not.toHaveBeenCalled();
});

it("each server render has its own state: nothing is shared between requests", () => {
  const render = (scope: string) =>
    renderToString(
      <PinterestAuthProvider initialSession={signedIn(60_000, [scope])}>
        <Page />
      </PinterestAuthProvider>,
    );
  expect(render("pins:read")).toContain("pins:read");
  expect(render("ads:read")).not.toContain("pins:read");
});
