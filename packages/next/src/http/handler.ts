/**
 * The plain `Request → Response` layer: the route handler that serves every route under `basePath` on any fetch
 * server. Nothing here knows Next.js (that is `../next/`).
 */
import type { AuthCore } from "../auth-core.ts";
import type { ErrorCode } from "../contract.ts";
import { RequestCookieJar } from "../session/cookies.ts";
import type { RequestSession } from "../session/session.ts";
import { describeForLog, failures } from "./failures.ts";
import { appOrigin, requestOrigin, secureCookies } from "./origin.ts";
import { errorReply, type Reply, type RouteContext, routes } from "./routes.ts";

/** The sub-route of `pathname` under `basePath` (`"session"` for `/api/pinterest/session/`), if any. */
function subRoute(pathname: string, basePath: string): string | undefined {
  if (!pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length + 1).replace(/\/$/, "");
  return Object.hasOwn(routes, rest) ? rest : undefined;
}

function failure(status: number, code: ErrorCode, message: string, headers?: Record<string, string>): Reply {
  const reply = errorReply({ status, code, message });
  return headers ? { ...reply, headers } : reply;
}

/** Whether a POST comes from the app itself: its `Origin` is the request's, the redirect URI's, or an allowed one. */
function sameOrigin(core: AuthCore, request: Request, url: URL, browserOrigin: URL): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return (
    origin === browserOrigin.origin ||
    origin === url.origin ||
    origin === appOrigin(core.config.redirectUri, browserOrigin).origin ||
    core.config.allowedOrigins.includes(origin)
  );
}

function toResponse(reply: Reply, setCookies: readonly string[], head: boolean): Response {
  const headers = new Headers({ "Cache-Control": "no-store" });
  let body: string | null = null;
  if ("location" in reply) headers.set("Location", reply.location);
  else {
    headers.set("Content-Type", "application/json");
    for (const [name, value] of Object.entries(reply.headers ?? {})) headers.set(name, value);
    body = JSON.stringify(reply.json);
  }
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  return new Response(head ? null : body, { status: reply.status, headers });
}

/**
 * The route handler: `(Request) => Promise<Response>` for every route under `basePath`. It never throws and never
 * answers a 5xx other than `internal_error` (500, details only in the log) and `pinterest_unavailable` (503).
 */
export function createHandler(core: AuthCore): (request: Request) => Promise<Response> {
  const { basePath } = core.config;
  return async function handler(request: Request): Promise<Response> {
    const head = request.method === "HEAD";
    const jar = new RequestCookieJar(request.headers.get("cookie"));
    let reply: Reply;
    let session: RequestSession | undefined;
    let path = "";
    try {
      const url = new URL(request.url);
      path = url.pathname;
      const browserOrigin = requestOrigin(request.headers, url);
      const name = subRoute(url.pathname, basePath);
      const route = name === undefined ? undefined : routes[name];
      if (!route) {
        reply = failure(
          404,
          "not_found",
          `No such route. The routes under ${basePath} are: GET login, GET callback, GET session, POST refresh, POST logout.`,
        );
      } else if (request.method !== route.method && !(head && route.method === "GET" && route.safe)) {
        const allow = route.method === "GET" && route.safe ? "GET, HEAD" : route.method;
        const what = head
          ? `HEAD cannot run ${basePath}/${name}, which changes state: use GET.`
          : `Use ${route.method} for ${basePath}/${name}.`;
        reply = failure(405, "method_not_allowed", what, { Allow: allow });
      } else if (route.method === "POST" && !sameOrigin(core, request, url, browserOrigin)) {
        reply = failure(
          403,
          "forbidden_origin",
          "POST requests must come from this app's own pages (their Origin header must be the app's origin).",
        );
      } else {
        const secure = secureCookies(appOrigin(core.config.redirectUri, browserOrigin));
        session = core.sessions.open(jar, secure);
        const redirectUri = core.config.redirectUri ?? `${browserOrigin.origin}${basePath}/callback`;
        const context: RouteContext = { core, request, url, jar, session, redirectUri, secure };
        reply = await route.run(context);
        await session.commit();
      }
    } catch (error) {
      core.logger.error(`pintoken: ${request.method} ${path} failed: ${describeForLog(error)}`);
      reply = errorReply(failures.internal);
      await session?.commit().catch(() => undefined);
    }
    return toResponse(reply, jar.setCookies, head);
  };
}
