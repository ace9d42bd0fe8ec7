import { delay, type HttpHandler, http } from "msw";
import { authenticate } from "./authenticate.ts";
import { answerConsent } from "./consent/consent.ts";
import { type Endpoint, tokenRevoke, userAccount } from "./endpoints.ts";
import { type IncomingRequest, readIncomingRequest } from "./incoming-request.ts";
import { oauthToken } from "./oauth-token.ts";
import { byPathPrecedence, mockOperations, type OperationDescription, type OperationId } from "./operations.ts";
import { invalidGrant, rateLimited, serverError } from "./pinterest-errors.ts";
import { type RecordedOperationId, recordedCall } from "./recorder.ts";
import { type Reply, toResponse } from "./reply.ts";
import { consentOperations, exactRoute, methodNotAllowed, type Route } from "./routes.ts";
import type { MockRuntime } from "./runtime.ts";
import type { Fault } from "./scenarios.ts";
import { specAnswer } from "./spec-answers.ts";
import { validateRequest } from "./validate-request.ts";

type PathParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a handler answered, and the scenario it played when the reply itself does not say (a slow response). */
interface Answer {
  readonly reply: Reply;
  readonly scenario?: string | undefined;
}

/**
 * The one request shell of every mock handler: a request on the route's exact path is read once, answered, recorded
 * and sent. msw matches paths loosely (any case, decoded); Pinterest's are exact, so anything else is not this route.
 */
function serve(
  runtime: MockRuntime,
  route: Route,
  operationId: RecordedOperationId,
  answer: (request: IncomingRequest, params: PathParams) => Answer | Promise<Answer>,
) {
  return async ({ request, params }: { request: Request; params: PathParams }) => {
    if (!route.matches(new URL(request.url))) return undefined;
    const { config } = runtime;
    const at = config.now();
    const incoming = await readIncomingRequest(request);
    const { reply, scenario } = await answer(incoming, params);
    runtime.record(recordedCall(operationId, incoming, reply, { at, clients: config.clients, scenario }));
    return toResponse(reply);
  };
}

/** The operations with logic of their own; every other operation answers from the spec ({@link specAnswer}). */
const endpoints: { readonly [K in OperationId]?: Endpoint } = {
  "oauth/token": oauthToken,
  "token/revoke": tokenRevoke,
  "user_account/get": userAccount,
};

function faultReply(fault: Fault): Reply | undefined {
  switch (fault.kind) {
    case "rateLimit":
      return rateLimited(fault.retryAfter);
    case "serverError":
      return serverError(fault.status);
    case "invalidGrant":
      return invalidGrant("Scenario: invalid grant");
    case "dropConnection":
      return { kind: "network-error", reason: "Scenario: dropped connection" };
    case "slow":
      return undefined;
  }
}

/**
 * Answers one call as Pinterest would: security first; a scenario is played only for a request that passes it (so a
 * stray unauthenticated request never takes a failure meant for the code under test), then the request's content
 * type, body and parameters, then the operation's logic.
 */
async function answerOperation(
  runtime: MockRuntime,
  op: OperationDescription,
  request: IncomingRequest,
  params: PathParams,
): Promise<Answer> {
  const { config, tokens, scenarios } = runtime;
  const operationId = op.operationId as OperationId;
  const auth = authenticate(op, request.credentials, config.clients, tokens);
  if (!auth.ok) return { reply: auth.reply };
  const fault = scenarios.take(operationId, request.form?.get("grant_type") ?? undefined);
  if (fault?.kind === "slow") await delay(fault.delayMs);
  const faulted = fault && faultReply(fault);
  if (faulted) return { reply: faulted };
  const scenario = fault?.kind === "slow" ? `Scenario: slow response (${fault.delayMs} ms)` : undefined;
  const checked = validateRequest(op, request, params);
  if (!checked.ok) return { reply: checked.reply, scenario };
  const endpoint = endpoints[operationId] ?? specAnswer;
  return { reply: endpoint({ op, input: checked.input, caller: auth.caller, config, tokens }), scenario };
}

const methods = {
  GET: http.get,
  POST: http.post,
  PUT: http.put,
  PATCH: http.patch,
  DELETE: http.delete,
  HEAD: http.head,
  OPTIONS: http.options,
} as const;

/** One msw handler per operation (by default every operation of the spec), under `apiBaseUrl`, each call recorded. */
export function apiHandlers(
  runtime: MockRuntime,
  operations: readonly OperationDescription[] = mockOperations,
): HttpHandler[] {
  return [...operations].sort(byPathPrecedence).map((op) => {
    const method = methods[op.method as keyof typeof methods];
    if (!method)
      throw new Error(`The mock cannot serve ${op.method} ${op.path} (${op.operationId}): unsupported method.`);
    const operationId = op.operationId as OperationId;
    const route = exactRoute(runtime.config.apiBaseUrl, op.path, { [op.method]: operationId });
    return method(
      route.mswPath,
      serve(runtime, route, operationId, (request, params) => answerOperation(runtime, op, request, params)),
    );
  });
}

/** The consent page at `authorizationEndpoint`: GET shows it (or, with `autoApprove`, redirects at once), POST decides. */
export function consentHandlers(runtime: MockRuntime): HttpHandler[] {
  const route = exactRoute(runtime.config.authorizationEndpoint, "", consentOperations);
  const resolver = serve(runtime, route, "authorize", (request) => ({ reply: answerConsent(runtime, request) }));
  return [http.get(route.mswPath, resolver), http.post(route.mswPath, resolver)];
}

/** msw handlers that answer 405 for the mock's paths called with a method they do not serve (after the others). */
export function methodNotAllowedHandlers(routes: readonly Route[]): HttpHandler[] {
  return routes.map((candidate) =>
    http.all(candidate.mswPath, ({ request }) => {
      const url = new URL(request.url);
      if (!candidate.matches(url) || candidate.methods.includes(request.method)) return undefined;
      return toResponse(methodNotAllowed(request.method, url, candidate.methods));
    }),
  );
}
