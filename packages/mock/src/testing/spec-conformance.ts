import { formatIssues, schemas, validate } from "@pintoken/core/schema";
import type { SetupServerApi } from "msw/node";
import { declaredResponse, mockOperations, type OperationDescription } from "../operations.ts";

/** The operation a request is for, matched by method and path under `apiBaseUrl` (path templates included). */
export function operationFor(apiBaseUrl: string, method: string, url: string): OperationDescription | undefined {
  const base = new URL(apiBaseUrl);
  const { origin, pathname } = new URL(url);
  if (origin !== base.origin || !pathname.startsWith(base.pathname)) return undefined;
  const path = pathname.slice(base.pathname.replace(/\/$/, "").length);
  return mockOperations.find((op) => {
    const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return op.method === method.toUpperCase() && pattern.test(path);
  });
}

/**
 * Checks one response of an operation against the spec: its status is declared (or `default` covers it), a declared
 * schema validates the JSON body, and a response declared without content has an empty body.
 * Returns a description of each problem (empty when the response conforms).
 */
export async function responseIssues(op: OperationDescription, response: Response): Promise<string[]> {
  if (response.type === "error") return [];
  const where = `${op.operationId} → ${response.status}`;
  const declared = declaredResponse(op, response.status);
  if (!declared) return [`${where}: the spec declares no such status and no default response`];
  const text = await response.clone().text();
  if (!declared.schema)
    return text === "" ? [] : [`${where}: the spec declares no body, got ${JSON.stringify(text.slice(0, 80))}`];
  if (!response.headers.get("content-type")?.startsWith("application/json")) {
    return [`${where}: expected application/json, got ${response.headers.get("content-type") ?? "no Content-Type"}`];
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${where}: the body is not JSON: ${JSON.stringify(text.slice(0, 80))}`];
  }
  const issues = validate(schemas, declared.schema, body);
  return issues.length === 0 ? [] : [`${where}: body does not match ${declared.schema}: ${formatIssues(issues)}`];
}

/**
 * Validates every response msw sends for the mock's API against the spec, as it is sent.
 *
 * @example
 * ```ts
 * const conformance = watchConformance(server, mock.apiBaseUrl);
 * afterEach(() => expect(conformance.takeIssues()).toEqual([]));
 * ```
 */
export function watchConformance(server: SetupServerApi, apiBaseUrl: string) {
  const pending: Promise<string[]>[] = [];
  let checked = 0;
  server.events.on("response:mocked", ({ request, response }) => {
    const op = operationFor(apiBaseUrl, request.method, request.url);
    if (!op) return;
    checked++;
    pending.push(responseIssues(op, response));
  });
  return {
    /** How many API responses were checked so far. */
    get checked() {
      return checked;
    },
    /** The problems found since the last call. */
    async takeIssues(): Promise<string[]> {
      const results = await Promise.all(pending.splice(0));
      return results.flat();
    },
  };
}
