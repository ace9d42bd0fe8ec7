import type { MockAccount, MockClient } from "../defaults.ts";
import { type PinterestScope, scopeDescriptions } from "../scopes.ts";

/** Escapes text for HTML element content and double-quoted attributes. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const styles = `
  :root { color-scheme: light dark; --accent: #e60023; --muted: #767676; --line: #e9e9e9; --card: #fff; --bg: #f6f6f6; }
  @media (prefers-color-scheme: dark) { :root { --muted: #a5a5a5; --line: #333; --card: #1e1e1e; --bg: #111; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { width: min(440px, calc(100vw - 32px)); background: var(--card); border-radius: 24px; padding: 32px;
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.12); }
  .badge { margin: 0 0 16px; color: var(--muted); font-size: 13px; }
  .badge strong { color: var(--accent); }
  h1 { margin: 0 0 8px; font-size: 22px; line-height: 1.3; }
  p { margin: 0 0 16px; }
  .muted { color: var(--muted); font-size: 14px; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
  ul { list-style: none; margin: 0 0 16px; padding: 0; border-top: 1px solid var(--line); }
  li { padding: 10px 0; border-bottom: 1px solid var(--line); }
  li span { display: block; color: var(--muted); font-size: 14px; }
  form { display: flex; gap: 12px; justify-content: flex-end; margin: 24px 0 0; }
  button { border: 0; border-radius: 999px; padding: 12px 22px; font: inherit; font-weight: 600; cursor: pointer; }
  .allow { background: var(--accent); color: #fff; }
  .deny { background: var(--line); color: inherit; }
  .error h1 { color: var(--accent); }
`;

/** A complete, self-contained HTML page (inline styles only, no scripts) in the mock's look. */
function htmlPage(title: string, body: string, className = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main${className ? ` class="${className}"` : ""}>
<p class="badge"><strong>Pinterest</strong> · mock served by @pintoken/mock</p>
${body}
</main>
</body>
</html>
`;
}

/**
 * The consent page: which app asks, for which scopes (with the spec's descriptions), where the browser returns, and
 * Allow / Deny buttons that POST the decision to the same URL (`search` is the request's query string).
 */
export function consentPage(
  request: { readonly client: MockClient; readonly scopes: readonly PinterestScope[]; readonly redirectUri: string },
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
