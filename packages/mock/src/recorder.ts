import { type RecordedAuth, recordedAuth } from "./credentials.ts";
import type { MockClient } from "./defaults.ts";
import { firstValues, type IncomingRequest, redactSecrets } from "./incoming-request.ts";
import type { OperationId } from "./operations.ts";
import { type Reply, replyBody, replyHeaders, replyStatus } from "./reply.ts";

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
  /** The calls of one operation (or of the consent page, `"authorize"`), oldest first. */
  for(operationId: RecordedOperationId): readonly RecordedCall[];
  /** The latest call, of one operation when given. */
  last(operationId?: RecordedOperationId): RecordedCall | undefined;
  /** Forgets every call. */
  reset(): void;
}

/** Creates an empty recorder that keeps the latest `limit` calls, and the function that appends to it. */
export function createRecorder(limit: number): {
  readonly recorder: CallRecorder;
  readonly record: (call: RecordedCall) => void;
} {
  let calls: RecordedCall[] = [];
  let dropped = 0;
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
    for: (operationId) => calls.filter((call) => call.operationId === operationId),
    last: (operationId) => {
      for (let i = calls.length - 1; i >= 0; i--) {
        const call = calls[i] as RecordedCall;
        if (operationId === undefined || call.operationId === operationId) return call;
      }
      return undefined;
    },
    reset: () => {
      calls = [];
      dropped = 0;
    },
    [Symbol.iterator]: () => calls.slice()[Symbol.iterator](),
  };
  const record = (call: RecordedCall) => {
    calls.push(call);
    if (calls.length > limit) dropped += calls.splice(0, calls.length - limit).length;
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
