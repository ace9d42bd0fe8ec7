import { isLoopback } from "@pintoken/core";

/** Where a request came from: the app's public origin, and whether its cookies must be `Secure` (and `__Host-`). */

function firstValue(header: string | null): string | undefined {
  return header?.split(",")[0]?.trim() || undefined;
}

/**
 * The origin the browser used: `X-Forwarded-Host`/`-Proto` (set by Next.js itself and by reverse proxies), else
 * `Host`, else `fallback` (the request URL, whose host Next.js does not always take from the request).
 */
export function requestOrigin(headers: { get(name: string): string | null }, fallback: URL): URL {
  const host = firstValue(headers.get("x-forwarded-host")) ?? firstValue(headers.get("host"));
  // No real host is longer (DNS names have at most 253 characters, then a port): a longer one would make the
  // redirect URI, and the state cookie holding it, too big for a browser to keep.
  if (!host || host.length > 260) return new URL(fallback.origin);
  const hostname = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const proto =
    firstValue(headers.get("x-forwarded-proto")) ??
    (host === fallback.host ? fallback.protocol.slice(0, -1) : isLoopback(hostname) ? "http" : "https");
  try {
    const url = new URL(`${proto}://${host}`);
    return url.protocol === "http:" || url.protocol === "https:" ? url : new URL(fallback.origin);
  } catch {
    return new URL(fallback.origin);
  }
}

/** The app's public origin: the configured redirect URI's, else the one the browser used. */
export function appOrigin(redirectUri: string | undefined, requestOrigin: URL): URL {
  return redirectUri ? new URL(new URL(redirectUri).origin) : requestOrigin;
}

/**
 * Cookies are `Secure`, and named with the `__Host-` prefix, everywhere but on plain http on this machine
 * (http://localhost development).
 */
export function secureCookies(origin: URL): boolean {
  return !(origin.protocol === "http:" && isLoopback(origin.hostname));
}
