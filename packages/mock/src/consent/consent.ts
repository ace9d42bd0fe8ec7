import { shownClientId } from "../credentials.ts";
import type { MockClient } from "../defaults.ts";
import { type IncomingRequest, repeatedNames } from "../incoming-request.ts";
import type { MockConfig } from "../options.ts";
import type { Reply } from "../reply.ts";
import type { MockRuntime } from "../runtime.ts";
import { describeScopeProblem, type PinterestScope, parseScopeList } from "../scopes.ts";
import { consentPage, errorPage } from "./consent-page.ts";

/** An authorization request whose client and redirect URI are trusted and whose scopes are valid. */
export interface ValidAuthorizationRequest {
  readonly kind: "valid";
  readonly client: MockClient;
  readonly redirectUri: string;
  readonly scopes: readonly PinterestScope[];
  readonly state: string | undefined;
}

/**
 * How an authorization request was judged. Problems with `client_id` or `redirect_uri` are shown on an error page and
 * never redirected (the redirect URI cannot be trusted); other problems are redirected back with an OAuth error
 * (ASSUMED, as RFC 6749 §4.1.2.1 has it: Pinterest does not document its behaviour).
 */
export type AuthorizationRequestCheck =
  | ValidAuthorizationRequest
  | { readonly kind: "error-page"; readonly message: string }
  | {
      readonly kind: "redirect-error";
      readonly redirectUri: string;
      readonly error: "invalid_request" | "unsupported_response_type" | "invalid_scope";
      readonly description: string;
      readonly state: string | undefined;
    };

/** How to register a refused redirect URI: the CLI flag (`--app-url` for a @pintoken/next app's callback). */
function howToRegister(redirectUri: string): string {
  const url = URL.canParse(redirectUri) ? new URL(redirectUri) : undefined;
  const app = url?.pathname === "/api/pinterest/callback" && !url.search ? `--app-url ${url.origin} or ` : "";
  return `Start pintoken-mock with ${app}--redirect-uri ${redirectUri}, or add it to the client's redirectUris.`;
}

/**
 * Checks the query of `GET authorizationEndpoint?client_id&redirect_uri&response_type=code&scope=a,b&state`. A
 * parameter sent more than once is refused, as the token endpoint refuses a repeated field (RFC 6749 §3.1): a
 * repeated `client_id` or `redirect_uri` on the error page, any other with `error=invalid_request`.
 */
export function checkAuthorizationRequest(config: MockConfig, query: URLSearchParams): AuthorizationRequestCheck {
  const repeated = repeatedNames(query);
  const untrusted = repeated.find((name) => name === "client_id" || name === "redirect_uri");
  if (untrusted) return { kind: "error-page", message: `${untrusted} is sent more than once: send it once.` };
  const clientId = query.get("client_id");
  if (!clientId) return { kind: "error-page", message: "The request has no client_id: add your app's id to the URL." };
  const client = config.clients.find((c) => c.clientId === clientId);
  if (!client) {
    const known = config.clients.map((c) => c.clientId).join(", ");
    return {
      kind: "error-page",
      message: `No app with client_id ${shownClientId(clientId, config.clients)} is registered with this mock (registered: ${known}).`,
    };
  }
  const redirectUri = query.get("redirect_uri");
  if (!redirectUri)
    return { kind: "error-page", message: "The request has no redirect_uri: add one registered for the app." };
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      kind: "error-page",
      message: `redirect_uri ${redirectUri} is not registered for client_id ${clientId}. Registered: ${client.redirectUris.join(", ") || "none"}. ${howToRegister(redirectUri)}`,
    };
  }
  const state = repeated.includes("state") ? undefined : (query.get("state") ?? undefined);
  if (repeated.length > 0) {
    const description = `${repeated.join(", ")} is sent more than once: send each parameter once.`;
    return { kind: "redirect-error", redirectUri, state, error: "invalid_request", description };
  }
  const responseType = query.get("response_type");
  if (responseType !== "code") {
    const got = responseType === null ? "is missing" : `is ${JSON.stringify(responseType)}`;
    return {
      kind: "redirect-error",
      redirectUri,
      state,
      error: "unsupported_response_type",
      description: `response_type ${got}: send response_type=code.`,
    };
  }
  const parsed = parseScopeList(query.get("scope") ?? "");
  const problem = describeScopeProblem("scope", parsed);
  if (problem) return { kind: "redirect-error", redirectUri, state, error: "invalid_scope", description: problem };
  return { kind: "valid", client, redirectUri, scopes: parsed.scopes, state };
}

/** `redirectUri` with the given parameters added (keeping any query it already has). */
export function redirectUrl(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/**
 * The result of an approved authorization: the code and the URL the browser is sent back to.
 *
 * @example
 * ```ts
 * const { code, redirectUrl } = mock.authorize({ scopes: ["user_accounts:read"], state: "xyz" });
 * // redirectUrl: "http://localhost:3000/api/pinterest/callback?code=…&state=xyz"
 * ```
 */
export interface Authorization {
  readonly code: string;
  readonly state: string | undefined;
  readonly redirectUrl: string;
}

/** Issues a code bound to the client, redirect URI and scopes, and builds the redirect back to the app. */
export function approve(runtime: MockRuntime, request: ValidAuthorizationRequest): Authorization {
  const code = runtime.tokens.createCode(request.client.clientId, request.redirectUri, request.scopes);
  return {
    code: code.value,
    state: request.state,
    redirectUrl: redirectUrl(request.redirectUri, { code: code.value, state: request.state }),
  };
}

/**
 * Answers the consent page at `authorizationEndpoint`: GET shows it (or, with `autoApprove`, redirects at once with a
 * code), POST takes the user's decision.
 */
export function answerConsent(runtime: MockRuntime, request: IncomingRequest): Reply {
  const { config } = runtime;
  const check = checkAuthorizationRequest(config, request.url.searchParams);
  if (check.kind === "error-page")
    return { kind: "html", status: 400, html: errorPage(check.message), reason: check.message };
  if (check.kind === "redirect-error") {
    const { redirectUri, error, description, state } = check;
    return {
      kind: "redirect",
      location: redirectUrl(redirectUri, { error, error_description: description, state }),
      reason: description,
    };
  }
  if (request.method === "GET") {
    if (config.autoApprove) return { kind: "redirect", location: approve(runtime, check).redirectUrl };
    return { kind: "html", status: 200, html: consentPage(check, config.account, request.url.search) };
  }
  if ((request.form?.getAll("decision").length ?? 0) > 1) {
    const message = "decision is sent more than once: post decision=allow or decision=deny once.";
    return { kind: "html", status: 400, html: errorPage(message), reason: message };
  }
  const decision = request.form?.get("decision");
  if (decision === "allow") return { kind: "redirect", location: approve(runtime, check).redirectUrl };
  if (decision === "deny") {
    // ASSUMED: Pinterest reports a denial as RFC 6749's error=access_denied.
    return {
      kind: "redirect",
      location: redirectUrl(check.redirectUri, { error: "access_denied", state: check.state }),
      reason: "The user denied access",
    };
  }
  const message = `The consent form must post decision=allow or decision=deny (form-encoded), got ${decision === undefined || decision === null ? "none" : JSON.stringify(decision)}.`;
  return { kind: "html", status: 400, html: errorPage(message), reason: message };
}
