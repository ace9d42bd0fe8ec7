/**
 * Signs in to the demo over plain HTTP, the way a browser does but without one: the app's login route → the mock's
 * consent page → its Allow button (a form POST) → the app's callback. For tests and the load benchmark
 * (`bench/load.ts`), which need a real session without Chromium.
 */

/** The location a redirect points to; an error naming `step` when `response` is not one. */
function redirectOf(response: Response, step: string): URL {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status > 399 || !location)
    throw new Error(`${step} answered ${response.status} instead of a redirect`);
  return new URL(location, response.url);
}

/** `name=value` of each cookie a response sets (attributes dropped), for a `Cookie` header. */
function cookiePairs(response: Response, prefix: string): string[] {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] ?? "")
    .filter((pair) => pair.startsWith(prefix) && !pair.endsWith("="));
}

const unescapeHtml = (text: string) =>
  text.replace(
    /&(amp|quot|#39|lt|gt);/g,
    (_, name: string) => ({ amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" })[name] ?? "",
  );

/**
 * Signs in at the demo served on `appUrl` (which must be on the mock Pinterest) and resolves to the `Cookie` header
 * of the new session (`pintoken.session=…`, or its chunks).
 */
export async function signInOverHttp(
  appUrl: string,
  scopes: readonly string[] = ["user_accounts:read"],
): Promise<string> {
  const query = new URLSearchParams({ returnTo: "/", scopes: scopes.join(",") });
  const login = await fetch(`${appUrl}/api/pinterest/login?${query}`, { redirect: "manual" });
  const consentUrl = redirectOf(login, "GET /api/pinterest/login");
  const state = cookiePairs(login, "pintoken.state=").join("; ");
  const page = await fetch(consentUrl);
  const html = await page.text();
  const action = html.match(/<form method="post" action="([^"]*)">/)?.[1];
  if (page.status !== 200 || action === undefined || !html.includes('name="decision" value="allow"'))
    throw new Error(`the mock's consent page has no Allow button (${page.status}): ${html.slice(0, 300)}`);
  const allowed = await fetch(new URL(unescapeHtml(action), consentUrl), {
    method: "POST",
    body: new URLSearchParams({ decision: "allow" }),
    redirect: "manual",
  });
  const callbackUrl = redirectOf(allowed, "the consent page's Allow");
  const callback = await fetch(callbackUrl, { headers: { cookie: state }, redirect: "manual" });
  const back = redirectOf(callback, "GET /api/pinterest/callback");
  const session = cookiePairs(callback, "pintoken.session");
  if (session.length === 0 || back.searchParams.has("pintoken_error"))
    throw new Error(`the callback did not sign in: it sent the browser to ${back.pathname}${back.search}`);
  return session.join("; ");
}
