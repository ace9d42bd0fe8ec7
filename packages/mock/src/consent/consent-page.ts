import type { MockAccount } from "../defaults.ts";
import { scopeDescriptions } from "../scopes.ts";
import type { ValidAuthorizationRequest } from "./authorization-request.ts";
import { escapeHtml, htmlPage } from "./html.ts";

/**
 * The consent page: which app asks, for which scopes (with the spec's descriptions), where the browser returns, and
 * Allow / Deny buttons that POST the decision to the same URL (`search` is the request's query string).
 */
export function consentPage(
  request: ValidAuthorizationRequest,
  account: Readonly<MockAccount>,
  search: string,
): string {
  const app = request.client.name ?? `App ${request.client.clientId}`;
  const scopes = request.scopes
    .map((scope) => `<li><code>${escapeHtml(scope)}</code><span>${escapeHtml(scopeDescriptions[scope])}</span></li>`)
    .join("\n");
  const user = account.username
    ? `<p class="muted">Signed in as <strong>@${escapeHtml(account.username)}</strong></p>`
    : "";
  return htmlPage(
    `Allow ${app} to access your Pinterest account?`,
    `<h1>${escapeHtml(app)} wants to access your Pinterest account</h1>
${user}
<p class="muted">App ID <code>${escapeHtml(request.client.clientId)}</code> asks to:</p>
<ul>
${scopes}
</ul>
<p class="muted">Then you go back to <code>${escapeHtml(request.redirectUri)}</code></p>
<form method="post" action="${escapeHtml(search)}">
<button class="deny" type="submit" name="decision" value="deny">Deny</button>
<button class="allow" type="submit" name="decision" value="allow" autofocus>Allow</button>
</form>`,
  );
}

/** The page shown instead of a redirect when the request cannot be trusted (unknown app or redirect URI). */
export function errorPage(message: string): string {
  return htmlPage(
    "Something went wrong",
    `<h1>This authorization request is invalid</h1>
<p>${escapeHtml(message)}</p>
<p class="muted">The app's developer must fix the authorization URL; you were not sent back to the app.</p>`,
    "error",
  );
}
