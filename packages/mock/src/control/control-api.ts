import { isLoopback } from "@pintoken/core";
import { checkWhole } from "../check.ts";
import type { MockPinterest } from "../create-mock-pinterest.ts";
import { tokenKinds, tokenStatuses } from "../issued-tokens.ts";
import { operationIds } from "../operations.ts";
import { type CallFilter, checkCallFilter, type RecordedOperationId } from "../recorder.ts";
import type { MockRuntime } from "../runtime.ts";
import { checkFault, checkTarget, type ScenarioTarget } from "../scenarios.ts";
import type { PinterestScope } from "../scopes.ts";
import { controlPathPrefix } from "./control-client.ts";
import { type ControlBody, ControlRefusal, oneOf, readControlBody } from "./control-input.ts";

interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

interface Context {
  readonly mock: MockPinterest;
  readonly runtime: MockRuntime;
  readonly url: URL;
  readonly body: ControlBody;
  /** The `{id}` segment of the path, for the routes that have one. */
  readonly id: string;
}

interface ControlRoute {
  readonly method: "GET" | "POST" | "DELETE";
  /** Under the prefix; `{id}` matches one segment. */
  readonly path: string;
  readonly run: (context: Context) => Answer;
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const created = (body: unknown): Answer => ({ status: 201, body });
const noContent: Answer = { status: 204 };

const recordedIds: readonly RecordedOperationId[] = [...operationIds, "authorize"];

/** Reads `times` (default 1, `"always"` until cancelled) before anything is queued, so a bad count queues nothing. */
function readTimes(body: ControlBody): number {
  const times = body.raw("times");
  if (times === undefined) return 1;
  if (times === "always") return Number.POSITIVE_INFINITY;
  return checkWhole('"times" (or "always")', times, 1);
}

const routes: readonly ControlRoute[] = [
  {
    method: "GET",
    path: "",
    run: ({ mock }) =>
      ok({
        apiBaseUrl: mock.apiBaseUrl,
        authorizationEndpoint: mock.authorizationEndpoint,
        routes: routes.map((route) => `${route.method} ${controlPathPrefix}${route.path}`),
      }),
  },
  { method: "GET", path: "/scenarios", run: ({ runtime }) => ok({ scenarios: runtime.scenarios.pending }) },
  {
    method: "POST",
    path: "/scenarios",
    run: ({ runtime, body }) => {
      const target = { operationId: body.raw("operationId"), grantType: body.raw("grantType") } as ScenarioTarget;
      const checked = checkTarget(target);
      const fault = checkFault(body.raw("fault"));
      const times = readTimes(body);
      body.done();
      const handle = runtime.scenarios.add(checked, fault);
      if (times === Number.POSITIVE_INFINITY) handle.always();
      else handle.times(times);
      return created(runtime.scenarios.pending.find((scenario) => scenario.id === handle.id));
    },
  },
  {
    method: "DELETE",
    path: "/scenarios",
    run: ({ runtime }) => {
      const cancelled = runtime.scenarios.pending.length;
      runtime.scenarios.clear();
      return ok({ cancelled });
    },
  },
  {
    method: "DELETE",
    path: "/scenarios/{id}",
    run: ({ runtime, id }) => {
      if (/^\d+$/.test(id) && runtime.scenarios.cancel(Number(id))) return noContent;
      throw new ControlRefusal(404, `No scenario ${id} is queued (used up, cancelled, or never added).`);
    },
  },
  {
    method: "GET",
    path: "/calls",
    run: ({ mock, url }) => {
      const filter = checkCallFilter({
        operationId: oneOf(url, "operationId", recordedIds),
        grantType: url.searchParams.get("grantType") ?? undefined,
      } as CallFilter);
      return ok({ calls: mock.calls.for(filter), dropped: mock.calls.droppedFor(filter) });
    },
  },
  {
    method: "DELETE",
    path: "/calls",
    run: ({ mock }) => {
      mock.calls.reset();
      return noContent;
    },
  },
  {
    method: "GET",
    path: "/tokens",
    run: ({ mock, url }) =>
      ok({
        tokens: mock.listTokens({ kind: oneOf(url, "kind", tokenKinds), status: oneOf(url, "status", tokenStatuses) }),
      }),
  },
  {
    method: "POST",
    path: "/tokens",
    run: ({ mock, body }) => {
      const scopes = body.stringList("scopes") as PinterestScope[];
      const clientId = body.optionalString("clientId");
      body.done();
      return created(mock.issueTokens({ scopes, ...(clientId === undefined ? {} : { clientId }) }));
    },
  },
  {
    method: "POST",
    path: "/authorize",
    run: ({ mock, body }) => {
      const options = {
        scopes: body.stringList("scopes") as PinterestScope[],
        state: body.optionalString("state"),
        clientId: body.optionalString("clientId"),
        redirectUri: body.optionalString("redirectUri"),
      };
      body.done();
      const defined = Object.entries(options).filter(([, value]) => value !== undefined);
      return created(mock.authorize(Object.fromEntries(defined) as { scopes: PinterestScope[] }));
    },
  },
  {
    method: "POST",
    path: "/tokens/revoke",
    run: ({ mock, body }) => {
      const token = body.string("token");
      body.done();
      const info = mock.revokeToken(token);
      if (!info) throw new ControlRefusal(404, "The mock does not know this token (never issued, or forgotten).");
      return ok(info);
    },
  },
  { method: "POST", path: "/tokens/revoke-all", run: ({ mock }) => ok({ revoked: mock.revokeAllTokens() }) },
  {
    method: "POST",
    path: "/tokens/expire",
    run: ({ runtime, body }) => {
      const kind = body.string("kind");
      body.done();
      if (!(tokenKinds as readonly string[]).includes(kind)) {
        throw new ControlRefusal(400, `"kind" must be one of ${tokenKinds.join(", ")}, got "${kind}".`);
      }
      return ok({ expired: runtime.tokens.expireAll(kind as (typeof tokenKinds)[number]) });
    },
  },
  { method: "GET", path: "/clock", run: ({ mock }) => ok(clockState(mock)) },
  {
    method: "POST",
    path: "/clock/set",
    run: ({ mock, body }) => {
      const now = body.number("now");
      body.done();
      mock.clock.set(now);
      return ok(clockState(mock));
    },
  },
  {
    method: "POST",
    path: "/clock/advance",
    run: ({ mock, body }) => {
      const ms = body.number("ms");
      body.done();
      mock.clock.advance(ms);
      return ok(clockState(mock));
    },
  },
  {
    method: "POST",
    path: "/reset",
    run: ({ mock }) => {
      mock.reset();
      return noContent;
    },
  },
];

function clockState(mock: MockPinterest) {
  return { now: mock.clock.now(), offsetMs: mock.clock.offsetMs };
}

function find(path: string): { readonly matching: ControlRoute[]; readonly id: string } {
  const id = /^\/scenarios\/([^/]+)$/.exec(path)?.[1] ?? "";
  const template = id === "" ? path : "/scenarios/{id}";
  return { matching: routes.filter((route) => route.path === template), id };
}

/** Headers for a browser page on a loopback origin (other origins were refused before). */
function corsHeaders(origin: string | null): Record<string, string> {
  return origin === null ? {} : { "access-control-allow-origin": origin, vary: "origin" };
}

function json(answer: Answer, headers: Record<string, string>): Response {
  const all = { "cache-control": "no-store", ...headers };
  if (answer.body === undefined) return new Response(null, { status: answer.status, headers: all });
  return Response.json(answer.body, { status: answer.status, headers: all });
}

/**
 * The control API of a mock served over HTTP: `Request → Response` under {@link controlPathPrefix}, with web
 * standards only. It refuses (403) a `Host` or `Origin` that is not loopback, so neither a web page elsewhere nor a
 * DNS-rebinding name can drive it; the Node server also refuses peers that are not loopback.
 */
export function createControlHandler(
  mock: MockPinterest,
  runtime: MockRuntime,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const origin = request.headers.get("origin");
    const host = request.headers.get("host");
    const hostName = host !== null && URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : undefined;
    const originName = origin !== null && URL.canParse(origin) ? new URL(origin).hostname : undefined;
    if ((host !== null && !isLoopback(hostName)) || (origin !== null && !isLoopback(originName))) {
      const message = "The control API answers only loopback hosts and pages (localhost, 127.0.0.1, [::1]).";
      return json({ status: 403, body: { message } }, {});
    }
    const cors = corsHeaders(origin);
    const { matching, id } = find(url.pathname.slice(controlPathPrefix.length));
    if (request.method === "OPTIONS" && matching.length > 0) {
      const methods = matching.map((route) => route.method).join(", ");
      const preflight = { "access-control-allow-methods": methods, "access-control-allow-headers": "content-type" };
      return json(noContent, { ...cors, ...preflight });
    }
    const route = matching.find((candidate) => candidate.method === request.method);
    const where = `${request.method} ${url.pathname}`;
    try {
      if (matching.length === 0) {
        const known = routes.map((r) => `${r.method} ${controlPathPrefix}${r.path}`).join(", ");
        throw new ControlRefusal(404, `The control API has no ${url.pathname}. It serves: ${known}.`);
      }
      if (!route) {
        const allow = matching.map((candidate) => candidate.method).join(", ");
        return json({ status: 405, body: { message: `${where} is not allowed: use ${allow}.` } }, { ...cors, allow });
      }
      const body = await readControlBody(request, where);
      return json(route.run({ mock, runtime, url, body, id }), cors);
    } catch (error) {
      const status = error instanceof ControlRefusal ? error.status : 400;
      const message = error instanceof Error ? error.message : String(error);
      return json({ status, body: { message } }, cors);
    }
  };
}
