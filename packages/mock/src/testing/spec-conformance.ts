import type { SetupServerApi } from "msw/node";
import { declaredResponse, type OperationDescription, operation, specSchemas } from "../operations.ts";
import { type Route, recordedOperationAt } from "../routes.ts";
import { formatIssues, validate } from "../validate.ts";

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
  const issues = validate(specSchemas, declared.schema, body);
  const schema = typeof declared.schema === "string" ? declared.schema : "the declared schema";
  return issues.length === 0 ? [] : [`${where}: body does not match ${schema}: ${formatIssues(issues)}`];
}

/**
 * What {@link watchConformance} found: how many API responses it checked, and the problems.
 *
 * @example
 * ```ts
 * server.use(http.get(`${mock.apiBaseUrl}/user_account`, () => HttpResponse.json({ id: "abc" })));
 * // … the code under test handles the malformed account …
 * expect(await conformance.takeIssues()).toHaveLength(1); // taken: the test does not fail for it
 * ```
 */
export interface ConformanceWatch {
  /** How many API responses were checked so far. */
  readonly checked: number;
  /** The problems found since the last call (each says which operation, which status, and what is wrong). */
  takeIssues(): Promise<string[]>;
}

/** Validates every response msw sends for the mock's API (its `routes`) against the spec, as it is sent. */
export function watchConformance(server: SetupServerApi, routes: readonly Route[]): ConformanceWatch {
  const pending: Promise<string[]>[] = [];
  let checked = 0;
  server.events.on("response:mocked", ({ request, response }) => {
    const operationId = recordedOperationAt(routes, request.method, new URL(request.url));
    if (operationId === undefined || operationId === "authorize") return;
    checked++;
    pending.push(responseIssues(operation(operationId), response));
  });
  return {
    get checked() {
      return checked;
    },
    async takeIssues() {
      const results = await Promise.all(pending.splice(0));
      return results.flat();
    },
  };
}
