/**
 * The real route handler of `@pintoken/next` behind msw, as the browser reaches it, in front of the mock Pinterest of
 * `@pintoken/mock` (its msw handlers): React's tests sign in, refresh and sign out through the code users run.
 *
 * Tests steer Pinterest through `mock` (scenarios, revoked tokens, token lifetimes, its clock: `Date.now`, so fake
 * timers move it), the server through its token store (`store.fail`), and only the wire between the browser and the
 * server through `wire`: a dropped connection, a page that is not the route handler's, a request from another site,
 * an answer held back. Nothing here answers in the route handler's place.
 */
import { MemoryTokenStore, type SetOptions, type TokenSet } from "@pintoken/core";
import { createMockPinterest, type MockPinterest, mockClient } from "@pintoken/mock";
import { createPinterestAuth, type PinterestAuth, type SessionJson } from "@pintoken/next";
import { HttpResponse, http } from "msw";

export const basePath = "/api/pinterest";
export const minute = 60_000;
export const hour = 3_600_000;

/** The routes the browser reaches. */
export type Route = "session" | "refresh" | "logout";

/** What can go wrong between the browser and the server, never in it. */
export type WireFault =
  /** The connection fails: no answer at all. */
  | "network"
  /** Something else answers: an HTML page (a wrong `basePath`, a proxy's error page). */
  | "html"
  /** The request comes from another site's page (its `Origin`), as a forged one would. */
  | "foreign-origin";

/** A `MemoryTokenStore` whose next calls can be made to fail, as a store that is down would. */
export class FaultyStore extends MemoryTokenStore {
  readonly #failing = new Map<"get" | "set" | "delete", number>();

  /** The next `times` calls of `method` throw. */
  fail(method: "get" | "set" | "delete", times = 1): void {
    this.#failing.set(method, (this.#failing.get(method) ?? 0) + times);
  }

  #check(method: "get" | "set" | "delete"): void {
    const left = this.#failing.get(method) ?? 0;
    if (left === 0) return;
    this.#failing.set(method, left - 1);
    throw new Error(`the token store is down (${method})`);
  }

  override async get(key: string) {
    this.#check("get");
    return super.get(key);
  }

  override async set(key: string, tokenSet: TokenSet, options?: SetOptions) {
    this.#check("set");
    return super.set(key, tokenSet, options);
  }

  override async delete(key: string) {
    this.#check("delete");
    return super.delete(key);
  }
}

export interface RouteHandlerOptions {
  /** Lifetime of the access tokens the mock issues, in ms. Default one hour. */
  accessTokenMs?: number;
  /** `"store"` (default: a sign-out elsewhere ends the session on the server) or `"cookie"`. */
  mode?: "store" | "cookie";
}

export interface RealRouteHandler {
  readonly pinterest: PinterestAuth;
  readonly mock: MockPinterest;
  /** The server's token store (store mode). */
  readonly store: FaultyStore;
  /** The msw handlers: the route handler at `location.origin` + `basePath`, the rest of the app, the mock Pinterest. */
  readonly handlers: ReturnType<typeof http.all>[];
  /** Every request the browser sent to a route, in order. */
  readonly requests: { route: string; method: string; accept: string | null }[];
  count(route: Route): number;
  /** Makes the next `times` requests to `route` go wrong on the wire. */
  fail(route: Route, fault: WireFault, times?: number): void;
  /**
   * Holds the next request of `route` back until the returned function is called: before the route handler sees it
   * (`"request"`, the default), or after it answered (`"answer"`: an answer that is on its way while other things
   * happen).
   */
  hold(route: Route, when?: "request" | "answer"): () => void;
  /** Resolves once no answer is on its way (the route handler's work is real: crypto, the mock). */
  settled(): Promise<void>;
  /** Signs this browser in (login → the mock's consent, approved → callback), as another window of it would. */
  signIn(scopes?: string[]): Promise<SessionJson>;
  /** Signs the session out from another browser that holds a copy of its cookie (store mode ends it everywhere). */
  signOutElsewhere(): Promise<void>;
  /** The session as the server sees it now (not counted as a request of the browser). */
  session(): Promise<SessionJson>;
}

const secret = "Dbbh4tqlk3c4D0oYAXb0yu55P1AZZU+T+ZASZwmt3kY=";
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function realRouteHandler(options: RouteHandlerOptions = {}): RealRouteHandler {
  const origin = location.origin;
  const redirectUri = `${origin}${basePath}/callback`;
  const mock = createMockPinterest({
    now: () => Date.now(),
    autoApprove: true,
    clients: [{ ...mockClient, redirectUris: [redirectUri] }],
    ttlSeconds: { accessToken: (options.accessTokenMs ?? hour) / 1000 },
  });
  const store = new FaultyStore();
  const pinterest = createPinterestAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    secret,
    env: {},
    redirectUri,
    store: options.mode === "cookie" ? undefined : store,
    clock: () => Date.now(),
    retry: false, // one failure at Pinterest is one failed answer
    timeoutMs: 2 ** 31 - 1, // fake timers may jump far while crypto runs for real
    logger: { warn: () => {}, error: () => {} },
  });
  const cookies = new Map<string, string>();
  const faults: Partial<Record<Route, WireFault[]>> = {};
  const holds: Partial<Record<Route, { when: "request" | "answer"; until: Promise<void> }>> = {};
  let inflight = 0;

  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  /** A request straight to the route handler with this browser's cookies; keeps what it sets. */
  const send = async (request: Request) => {
    const headers = new Headers(request.headers);
    if (cookies.size > 0) headers.set("cookie", cookieHeader());
    const response = await pinterest.handler(new Request(request, { headers }));
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (/;\s*Max-Age=0(;|$)/i.test(line)) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  };

  const harness: RealRouteHandler = {
    pinterest,
    mock,
    store,
    requests: [],
    count: (route) => harness.requests.filter((request) => request.route === route).length,
    fail(route, fault, times = 1) {
      faults[route] = [...(faults[route] ?? []), ...Array.from({ length: times }, () => fault)];
    },
    hold(route, when = "request") {
      let release = () => {};
      const until = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds[route] = { when, until };
      return release;
    },
    async settled() {
      do await nextTick();
      while (inflight > 0);
      for (let i = 0; i < 5; i++) await nextTick(); // the browser reads the body and applies it
    },
    async signIn(scopes) {
      const query = scopes ? `?scopes=${scopes.join(",")}` : "";
      const login = await send(new Request(`${origin}${basePath}/login${query}`));
      const consent = await fetch(login.headers.get("location") as string, { redirect: "manual" });
      await send(new Request(consent.headers.get("location") as string));
      return harness.session();
    },
    async signOutElsewhere() {
      await pinterest.handler(
        new Request(`${origin}${basePath}/logout`, {
          method: "POST",
          headers: { cookie: cookieHeader(), origin },
        }),
      );
    },
    async session() {
      return (await send(new Request(`${origin}${basePath}/session`))).json();
    },
    handlers: [
      http.all(`${origin}${basePath}/:route`, async ({ request, params }) => {
        const route = String(params.route) as Route;
        harness.requests.push({ route, method: request.method, accept: request.headers.get("accept") });
        inflight++;
        const hold = holds[route];
        delete holds[route];
        try {
          if (hold?.when === "request") await hold.until;
          const fault = faults[route]?.shift();
          if (fault === "network") return HttpResponse.error();
          if (fault === "html") return new HttpResponse("<!doctype html><h1>Not found</h1>", { status: 404 });
          const headers = new Headers(request.headers);
          // A browser sends its page's origin with every POST; a forged one comes from another site.
          if (request.method === "POST")
            headers.set("origin", fault === "foreign-origin" ? "https://evil.example" : origin);
          const response = await send(new Request(request, { headers }));
          if (hold?.when === "answer") await hold.until;
          return response;
        } finally {
          inflight--;
        }
      }),
      // The rest of the app: what a page at a wrong basePath gets.
      http.all(`${origin}/*`, () => new HttpResponse("<!doctype html><h1>Not found</h1>", { status: 404 })),
      ...mock.handlers,
    ],
  };
  return harness;
}
