// @vitest-environment happy-dom
import { act, createElement } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, expect, test, vi } from "vitest";
import { PinterestRouterRefresh } from "./client.ts";
import type { SessionJson, SessionMessage } from "./contract.ts";

const router = vi.hoisted(() => ({ refresh: vi.fn() }));
vi.mock("next/navigation", () => ({ useRouter: () => router }));
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const signedIn = (scopes = ["user_accounts:read"], expiresAt = 1): SessionJson => ({
  status: "authenticated",
  scopes,
  expiresAt,
  refreshTokenExpiresAt: null,
});
const signedOut: SessionJson = { status: "unauthenticated" };
const unmounts: (() => void)[] = [];

afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
  router.refresh.mockReset();
});

async function mount(basePath?: string) {
  const root = createRoot(document.createElement("div"));
  await act(async () => root.render(createElement(PinterestRouterRefresh, basePath ? { basePath } : {})));
  unmounts.push(() => act(() => root.unmount()));
}

/** Posts as the provider of this tab (or another) does, and waits for the channel to deliver it. */
async function announce(message: SessionMessage, name = "pintoken:/api/pinterest") {
  const sender = new BroadcastChannel(name);
  const receiver = new BroadcastChannel(name);
  const delivered = new Promise((resolve) => {
    receiver.onmessage = resolve;
  });
  sender.postMessage(message);
  await delivered;
  await act(async () => {});
  sender.close();
  receiver.close();
}

test("a sign-out, a sign-in and new scopes make Server Components render again", async () => {
  await mount();
  await announce({ type: "session", session: signedOut, previous: signedIn() });
  await announce({ type: "session", session: signedIn(), previous: signedOut });
  await announce({ type: "session", session: signedIn(["pins:read", "user_accounts:read"]), previous: signedIn() });
  expect(router.refresh).toHaveBeenCalledTimes(3);
});

test("a refreshed token, the first session a tab learns, and foreign messages change nothing", async () => {
  await mount();
  await announce({ type: "session", session: signedIn(["user_accounts:read"], 2), previous: signedIn() });
  await announce({ type: "session", session: signedIn() });
  await announce({ type: "other", session: signedOut, previous: signedIn() } as unknown as SessionMessage);
  expect(router.refresh).not.toHaveBeenCalled();
});

test("listens on its basePath's channel only, and stops when unmounted", async () => {
  await mount("/auth/pinterest/");
  await announce({ type: "session", session: signedOut, previous: signedIn() });
  expect(router.refresh).not.toHaveBeenCalled();
  await announce({ type: "session", session: signedOut, previous: signedIn() }, "pintoken:/auth/pinterest");
  expect(router.refresh).toHaveBeenCalledTimes(1);
  for (const unmount of unmounts.splice(0)) unmount();
  await announce({ type: "session", session: signedOut, previous: signedIn() }, "pintoken:/auth/pinterest");
  expect(router.refresh).toHaveBeenCalledTimes(1);
});
