import { type HttpHandler, http } from "msw";
import { type IncomingRequest, readIncomingRequest } from "../incoming-request.ts";
import type { MockRuntime } from "../mock-runtime.ts";
import { recordedCall } from "../recorder.ts";
import { type Reply, toResponse } from "../reply.ts";
import { consentOperations, exactRoute } from "../routes.ts";
import { approve } from "./approve.ts";
import { checkAuthorizationRequest, redirectUrl } from "./authorization-request.ts";
import { consentPage, errorPage } from "./consent-page.ts";

function answer(runtime: MockRuntime, request: IncomingRequest): Reply {
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

/** The consent page at `authorizationEndpoint`: GET shows it (or, with `autoApprove`, redirects at once), POST decides. */
export function consentHandlers(runtime: MockRuntime): HttpHandler[] {
  const route = exactRoute(runtime.config.authorizationEndpoint, "", consentOperations);
  const resolver = async ({ request }: { request: Request }) => {
    if (!route.matches(new URL(request.url))) return undefined;
    const at = runtime.config.now();
    const incoming = await readIncomingRequest(request);
    const reply = answer(runtime, incoming);
    runtime.record(recordedCall("authorize", incoming, reply, { at, clients: runtime.config.clients }));
    return toResponse(reply);
  };
  return [http.get(route.mswPath, resolver), http.post(route.mswPath, resolver)];
}
