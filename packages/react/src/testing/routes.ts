/**
 * msw handlers that answer as @pintoken/next's route handler does, following its HTTP contract (see the README):
 * JSON bodies with `Cache-Control: no-store`, error JSON with stable codes, 404 for unknown sub-routes and 405 with
 * `Allow` for a wrong method. Tests steer it through `routes.session`, `routes.fail(...)` and `routes.hold(...)`,
 * and read what the browser sent from `routes.requests`.
 */
import { HttpResponse, http } from "msw";
import type { ErrorJson, LogoutJson, SessionJson } from "../session.ts";

export const basePath = "/api/pinterest";
export const hour = 3_600_000;

/** Session JSON of a signed-in user. */
export type SignedIn = Extract<SessionJson, { status: "authenticated" }>;

/** An authenticated session whose access token expires `expiresInMs` from now. */
export function signedIn(expiresInMs = hour, scopes = ["user_accounts:read", "pins:read"]): SignedIn {
  return { status: "authenticated", scopes, expiresAt: Date.now() + expiresInMs, refreshTokenExpiresAt: null };
}

export const signedOut: SessionJson = { status: "unauthenticated" };

const headers = { "Cache-Control": "no-store" };
const json = (body: unknown, status = 200) => HttpResponse.json(body as object, { status, headers });
const error = (status: number, code: string, message: string, extra?: object, more?: Record<string, string>) =>
  HttpResponse.json({ ...extra, error: { code, message } } satisfies ErrorJson, {
    status,
    headers: { ...headers, ...more },
  });

type Route = "session" | "refresh" | "logout";
/** What a test makes the next answer(s) of a route be instead of the normal one. */
type Failure = "network" | "html" | { status: number; code: string; signOut?: boolean };

export interface FakeRouteHandler {
  /** The session the handler holds (what the session cookie would say). */
  session: SessionJson;
  /** Lifetime of the access token after a refresh, ms. */
  lifetimeMs: number;
  /** Every request that reached a route, in order. */
  readonly requests: { route: string; method: string; accept: string | null }[];
  /** How many requests reached `route`. */
  count(route: Route): number;
  /** Makes the next `times` answers of `route` fail this way. */
  fail(route: Route, failure: Failure, times?: number): void;
  /** Holds answers of `route` until the returned function is called (to observe requests in flight). */
  hold(route: Route): () => void;
  /** Makes the next logout's revocation at Pinterest fail (`revoked: false`). */
  revokeFails: boolean;
  /** The msw handlers for `origin` + `basePath`. */
  handlers: ReturnType<typeof http.all>[];
}

export function fakeRouteHandler(
  session: SessionJson = signedOut,
  { origin = location.origin, base = basePath } = {},
): FakeRouteHandler {
  const failures: Record<string, Failure[]> = {};
  const holds: Record<string, Promise<void> | undefined> = {};
  const prefix = `${origin}${base}`;

  const answer = async (route: Route, request: Request, ok: () => Response) => {
    routes.requests.push({ route, method: request.method, accept: request.headers.get("accept") });
    await holds[route];
    const failure = failures[route]?.shift();
    if (failure === "network") return HttpResponse.error();
    if (failure === "html") return new HttpResponse("<!doctype html><h1>404</h1>", { status: 404 });
    if (failure) {
      if (failure.signOut) routes.session = signedOut;
      return error(failure.status, failure.code, `The route handler said ${failure.code}.`, {
        ...(failure.signOut ? { status: "unauthenticated" } : {}),
      });
    }
    return ok();
  };

  const routes: FakeRouteHandler = {
    session,
    lifetimeMs: hour,
    requests: [],
    revokeFails: false,
    count: (route) => routes.requests.filter((request) => request.route === route).length,
    fail(route, failure, times = 1) {
      failures[route] = [...(failures[route] ?? []), ...Array.from({ length: times }, () => failure)];
    },
    hold(route) {
      let release = () => {};
      holds[route] = new Promise((resolve) => {
        release = () => {
          holds[route] = undefined;
          resolve();
        };
      });
      return release;
    },
    handlers: [
      http.get(`${prefix}/session`, ({ request }) => answer("session", request, () => json(routes.session))),
      http.post(`${prefix}/refresh`, ({ request }) =>
        answer("refresh", request, () => {
          if (routes.session.status !== "authenticated") {
            return error(401, "not_signed_in", "Nobody is signed in: sign in first.", { status: "unauthenticated" });
          }
          routes.session = { ...routes.session, expiresAt: Date.now() + routes.lifetimeMs };
          return json(routes.session);
        }),
      ),
      http.post(`${prefix}/logout`, ({ request }) =>
        answer("logout", request, () => {
          routes.session = signedOut;
          const body: LogoutJson = routes.revokeFails
            ? {
                status: "unauthenticated",
                revoked: false,
                error: { code: "revoke_failed", message: "Signed out here; Pinterest did not confirm the revocation." },
              }
            : { status: "unauthenticated", revoked: true };
          return json(body);
        }),
      ),
      http.all(`${prefix}/:route`, ({ request, params }) => {
        const allow = { session: "GET", refresh: "POST", logout: "POST", login: "GET", callback: "GET" }[
          String(params.route)
        ];
        return allow
          ? error(405, "method_not_allowed", `Use ${allow}.`, {}, { Allow: allow })
          : error(404, "not_found", `${new URL(request.url).pathname} is not a pintoken route.`);
      }),
    ],
  };
  return routes;
}
