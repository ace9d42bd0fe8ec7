import { byPathPrecedence, mockOperations, mswPath } from "./operations.ts";
import type { MockConfig } from "./options.ts";
import type { RecordedOperationId } from "./recorder.ts";
import type { Reply } from "./reply.ts";

/** A path the mock serves (matched exactly: case, encoding and slashes as written) and the methods it answers. */
export interface Route {
  /** The msw path pattern (which matches loosely; {@link Route.matches} decides). */
  readonly mswPath: string;
  readonly methods: readonly string[];
  /** What each method of the route is: an operation of the spec, or the consent page (`"authorize"`). */
  readonly operations: Readonly<Record<string, RecordedOperationId>>;
  /** True when a URL's path is exactly this route's (`{name}` segments match one non-empty segment). */
  matches(url: URL): boolean;
}

/**
 * The route of `template` (a spec path like `/pins/{pin_id}`, or "" for `base` itself) under `base`, answering the
 * given methods.
 */
export function exactRoute(
  base: string,
  template: string,
  operations: Readonly<Record<string, RecordedOperationId>>,
): Route {
  const url = new URL(base);
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const path = template === "" ? url.pathname : `${url.pathname.replace(/\/+$/, "")}${template}`;
  const pattern = new RegExp(
    `^${path
      .split(/\{[^}]+\}/)
      .map(literal)
      .join("[^/]+")}$`,
  );
  return {
    mswPath: template === "" ? base : mswPath(base, template),
    methods: Object.keys(operations),
    operations,
    matches: (candidate) => candidate.origin === url.origin && pattern.test(candidate.pathname),
  };
}

/** Every path the mock serves: each operation's path under `apiBaseUrl` (methods grouped), and the consent page. */
export function mockRoutes(config: MockConfig): readonly Route[] {
  const byPath = new Map<string, Record<string, RecordedOperationId>>();
  for (const op of [...mockOperations].sort(byPathPrecedence)) {
    byPath.set(op.path, { ...byPath.get(op.path), [op.method]: op.operationId as RecordedOperationId });
  }
  return [
    ...[...byPath].map(([path, operations]) => exactRoute(config.apiBaseUrl, path, operations)),
    exactRoute(config.authorizationEndpoint, "", consentOperations),
  ];
}

/** The consent page's methods: GET shows it, POST decides. */
export const consentOperations = { GET: "authorize", POST: "authorize" } as const;

/** What a request is (an operation, or the consent page), or undefined when the mock serves nothing there. */
export function recordedOperationAt(
  routes: readonly Route[],
  method: string,
  url: URL,
): RecordedOperationId | undefined {
  return routes.find((candidate) => candidate.matches(url))?.operations[method];
}

/** The methods the mock answers at this URL, or undefined when it serves nothing there. */
export function allowedMethods(routes: readonly Route[], url: URL): readonly string[] | undefined {
  return routes.find((candidate) => candidate.matches(url))?.methods;
}

/**
 * 405 with `Allow`, for a method the route does not answer. ASSUMED: Pinterest's `{code, message}` body with the
 * HTTP status as code (undocumented).
 */
export function methodNotAllowed(method: string, url: URL, allow: readonly string[]): Reply {
  const message = `${method} is not allowed on ${url.pathname}: use ${allow.join(" or ")}.`;
  return {
    kind: "json",
    status: 405,
    body: { code: 405, message },
    headers: { allow: allow.join(", ") },
    reason: message,
  };
}
