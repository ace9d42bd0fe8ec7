import { listed } from "./check.ts";
import { type RecordedAuth, recordedAuth } from "./credentials.ts";
import type { MockClient } from "./defaults.ts";
import { firstValues, type IncomingRequest, redactSecrets } from "./incoming-request.ts";
import { type OperationId, operationIds } from "./operations.ts";
import { type Reply, replyBody, replyHeaders, replyStatus } from "./reply.ts";
import { checkGrantType, type GrantType } from "./scenarios.ts";

/**
 * What a recorded call was: an operation of the spec, or the consent page (`"authorize"`).
 *
 * @example
 * ```ts
 * const consent: RecordedOperationId = "authorize";
 * expect(mock.calls.for(consent)).toHaveLength(2); // the page, then the Allow
 * ```
 */
export type RecordedOperationId = OperationId | "authorize";

/**
 * One request the mock answered, and its answer.
 *
 * @example
 * ```ts
 * const [call] = mock.calls.for("oauth/token");
 * expect(call?.form?.grant_type).toBe("refresh_token");
 * expect(call?.auth).toEqual({ scheme: "basic", clientId: mockClient.clientId });
 * ```
 */
export interface RecordedCall {
  readonly operationId: RecordedOperationId;
  readonly method: string;
  readonly url: string;
  /** Query parameters (first value of each). */
  readonly query: Readonly<Record<string, string>>;
  /** Form fields (first value of each; a `client_secret` is redacted), when the body was form-encoded. */
  readonly form?: Readonly<Record<string, string>>;
  /** The Authorization header: client id or token, never the client secret. */
  readonly auth?: RecordedAuth;
  /** The response status (0 when the connection was dropped). */
  readonly status: number;
  /** The response body: parsed JSON, HTML text, or undefined when empty. */
  readonly body: unknown;
  /** The response headers the mock set. */
  readonly headers: Readonly<Record<string, string>>;
  /** Why the mock answered with an error, or which scenario it played. */
  readonly reason?: string;
  /** When the call arrived, on the mock's clock (epoch ms). */
  readonly at: number;
}

/**
 * Which recorded calls: those of one operation (or of the consent page, `"authorize"`), and for `oauth/token`
 * optionally only those of one grant type (its form's `grant_type`); `grantType` alone implies `oauth/token`.
 *
 * @example
 * ```ts
 * const refreshes = mock.calls.for({ grantType: "refresh_token" });
 * const exchanges = await control.calls({ operationId: "oauth/token", grantType: "authorization_code" });
 * ```
 */
export interface CallFilter {
  readonly operationId?: RecordedOperationId | undefined;
  readonly grantType?: GrantType | undefined;
}

/**
 * The calls the mock answered, oldest first: the latest `limits.calls` (default 1,000) of them.
 *
 * @example
 * ```ts
 * expect(mock.calls.for("oauth/token").map((c) => c.status)).toEqual([429, 200]);
 * mock.calls.reset();
 * ```
 */
export interface CallRecorder extends Iterable<RecordedCall> {
  /** Every call, oldest first. */
  readonly all: readonly RecordedCall[];
  /** How many calls are recorded. */
  readonly length: number;
  /** How many older calls were dropped to stay within `limits.calls` (0 until then; `reset()` sets it back to 0). */
  readonly dropped: number;
  /**
   * How many of the dropped calls were of one operation (and grant type): when it is not 0, `for(filter)` misses that
   * many, so a count of calls is not to be trusted.
   */
  droppedFor(filter: RecordedOperationId | CallFilter): number;
  /** The calls of one operation (or of the consent page, `"authorize"`), or of one grant type, oldest first. */
  for(filter: RecordedOperationId | CallFilter): readonly RecordedCall[];
  /** The latest call, of one operation (or grant type) when given. */
  last(filter?: RecordedOperationId | CallFilter): RecordedCall | undefined;
  /** Forgets every call. */
  reset(): void;
}

const recordedIds: readonly RecordedOperationId[] = [...operationIds, "authorize"];

/**
 * Reads a filter given as an operationId or a {@link CallFilter} (`grantType` implies `oauth/token`); throws a message
 * that says what is allowed.
 */
export function checkCallFilter(filter: RecordedOperationId | CallFilter | undefined): CallFilter {
  const { operationId, grantType } = typeof filter === "string" ? { operationId: filter } : (filter ?? {});
  if (operationId !== undefined && !recordedIds.includes(operationId)) {
    throw new RangeError(
      `operationId must be "authorize" or an operationId of the spec (${listed(operationIds)}), got ${JSON.stringify(operationId)}.`,
    );
  }
  if (grantType === undefined) return { operationId };
  checkGrantType("grantType", grantType);
  if (operationId !== undefined && operationId !== "oauth/token") {
    throw new RangeError(`grantType applies to "oauth/token" only, not ${JSON.stringify(operationId)}.`);
  }
  return { operationId: "oauth/token", grantType };
}

/** The keys a call is counted under when it is dropped: its operation, and its operation and grant type. */
const dropKeys = (call: RecordedCall) => [call.operationId, `${call.operationId} ${call.form?.grant_type}`];

/** Creates an empty recorder that keeps the latest `limit` calls, and the function that appends to it. */
export function createRecorder(limit: number): {
  readonly recorder: CallRecorder;
  readonly record: (call: RecordedCall) => void;
} {
  let calls: RecordedCall[] = [];
  let dropped = 0;
  /** Dropped calls by operation, and by operation and grant type: as few keys as there are operations and grants. */
  let droppedBy = new Map<string, number>();
  const matches =
    ({ operationId, grantType }: CallFilter) =>
    (call: RecordedCall) =>
      (operationId === undefined || call.operationId === operationId) &&
      (grantType === undefined || call.form?.grant_type === grantType);
  const recorder: CallRecorder = {
    get all() {
      return calls.slice();
    },
    get length() {
      return calls.length;
    },
    get dropped() {
      return dropped;
    },
    droppedFor: (filter) => {
      const { operationId, grantType } = checkCallFilter(filter);
      if (operationId === undefined) return dropped;
      return droppedBy.get(grantType === undefined ? operationId : `${operationId} ${grantType}`) ?? 0;
    },
    for: (filter) => calls.filter(matches(checkCallFilter(filter))),
    last: (filter) => {
      const match = matches(checkCallFilter(filter));
      for (let i = calls.length - 1; i >= 0; i--) if (match(calls[i] as RecordedCall)) return calls[i];
      return undefined;
    },
    reset: () => {
      calls = [];
      dropped = 0;
      droppedBy = new Map();
    },
    [Symbol.iterator]: () => calls.slice()[Symbol.iterator](),
  };
  const record = (call: RecordedCall) => {
    calls.push(call);
    if (calls.length <= limit) return;
    for (const old of calls.splice(0, calls.length - limit)) {
      dropped++;
      for (const key of dropKeys(old)) droppedBy.set(key, (droppedBy.get(key) ?? 0) + 1);
    }
  };
  return { recorder, record };
}

/** What the recorder keeps of a request (the secret dropped, client ids shown safely). */
function requestFields(operationId: RecordedOperationId, request: IncomingRequest, clients: readonly MockClient[]) {
  const auth = recordedAuth(request.credentials, clients);
  return {
    operationId,
    method: request.method,
    url: request.url.href,
    query: firstValues(request.url.searchParams),
    ...(request.form ? { form: redactSecrets(firstValues(request.form)) } : {}),
    ...(auth ? { auth } : {}),
  };
}

/**
 * The recorder's view of a request and the reply the mock sent: `at` on the mock's clock, `clients` to show client
 * ids safely, `scenario` the reason when the reply has none (a slow response).
 */
export function recordedCall(
  operationId: RecordedOperationId,
  request: IncomingRequest,
  reply: Reply,
  {
    at,
    clients,
    scenario,
  }: { readonly at: number; readonly clients: readonly MockClient[]; readonly scenario?: string | undefined },
): RecordedCall {
  const reason = reply.reason ?? scenario;
  return {
    ...requestFields(operationId, request, clients),
    status: replyStatus(reply),
    body: replyBody(reply),
    headers: replyHeaders(reply),
    ...(reason === undefined ? {} : { reason }),
    at,
  };
}

/**
 * The recorder's view of a request answered by another handler (a `server.use` override) with `response`, which is
 * read from a clone. `reason` is the `x-pintoken-mock-reason` header when the response has one, else `reason`.
 */
export async function recordedResponse(
  operationId: RecordedOperationId,
  request: IncomingRequest,
  response: Response,
  { at, clients, reason }: { readonly at: number; readonly clients: readonly MockClient[]; readonly reason: string },
): Promise<RecordedCall> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  let body: unknown;
  if (response.type !== "error") {
    const text = await response.clone().text();
    const json = /^application\/(.+\+)?json/.test(response.headers.get("content-type") ?? "");
    body = text === "" ? undefined : text;
    if (json && text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        // An override may answer malformed JSON on purpose: keep the text.
      }
    }
  }
  return {
    ...requestFields(operationId, request, clients),
    status: response.type === "error" ? 0 : response.status,
    body,
    headers,
    reason: response.headers.get("x-pintoken-mock-reason") ?? reason,
    at,
  };
}
