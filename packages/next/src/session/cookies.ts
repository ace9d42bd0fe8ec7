/** The attributes every pintoken cookie is written with (always HttpOnly, SameSite=Lax). */
export interface CookieAttributes {
  /** Always `/`: a `__Host-` cookie must be set on the whole host. */
  readonly path: "/";
  /** Seconds; `0` deletes the cookie. */
  readonly maxAge: number;
  readonly secure: boolean;
}

/**
 * The cookie names of one app for one origin. On https they carry the `__Host-` prefix: the browser then takes them
 * only from this very host, Secure, with `Path=/` and no `Domain`, so a sibling subdomain cannot set or shadow them
 * (a tossed cookie could otherwise sign a victim into the attacker's account). On plain http on this machine
 * (development), where `__Host-` cookies are refused, the names are plain.
 *
 * @example
 * ```ts
 * cookieNames("pintoken", true);  // { session: "__Host-pintoken.session", state: "__Host-pintoken.state" }
 * cookieNames("pintoken", false); // { session: "pintoken.session", state: "pintoken.state" }
 * ```
 */
export function cookieNames(base: string, secure: boolean): { session: string; state: string } {
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}${base}.session`, state: `${prefix}${base}.state` };
}

/**
 * Reads the cookies of one request and writes the response's. Two implementations: over a `Request` (route
 * handler, proxy, any fetch server) and over Next's `cookies()` (Server Components, Server Actions).
 */
export interface CookieJar {
  /** The cookie's value; `undefined` when absent or sent more than once (which one is genuine cannot be told). */
  get(name: string): string | undefined;
  /** Throws where cookies cannot be written (a Server Component). */
  set(name: string, value: string, attributes: CookieAttributes): void;
}

/**
 * The largest cookie value written in one piece. Browsers keep at least 4096 bytes per cookie (name, value and
 * attributes together); above this the value is split into `<name>.0`, `<name>.1`, …
 */
export const chunkSize = 3800;
/** More chunks than any session needs: a cookie header this large would be refused by most servers anyway. */
const maxChunks = 16;

/** `name=value; Path; Max-Age; HttpOnly; Secure; SameSite=Lax` (Secure only when `secure`). */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${value}`, `Path=${attributes.path}`, `Max-Age=${attributes.maxAge}`, "HttpOnly"];
  if (attributes.secure) parts.push("Secure");
  parts.push("SameSite=Lax");
  return parts.join("; ");
}

/**
 * Parses a `Cookie` header. A name sent more than once maps to `undefined`: browsers send every cookie that matches
 * (one set for this host and one tossed for the parent domain, say) in an order the server cannot trust, so
 * neither is taken.
 */
export function parseCookieHeader(header: string | null): Map<string, string | undefined> {
  const cookies = new Map<string, string | undefined>();
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name) continue;
    cookies.set(name, cookies.has(name) ? undefined : pair.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * A jar over a `Cookie` header that collects `Set-Cookie` lines for the response. Reads see earlier writes, so a
 * request can be handed on with its cookies up to date ({@link RequestCookieJar.cookieHeader}).
 */
export class RequestCookieJar implements CookieJar {
  readonly #header: string;
  readonly #cookies: Map<string, string | undefined>;
  readonly #written = new Map<string, { line: string; value: string | undefined }>();

  constructor(header: string | null) {
    this.#header = header ?? "";
    this.#cookies = parseCookieHeader(header);
  }

  get(name: string): string | undefined {
    const written = this.#written.get(name);
    return written ? written.value : this.#cookies.get(name);
  }

  set(name: string, value: string, attributes: CookieAttributes): void {
    const line = serializeCookie(name, value, attributes);
    this.#written.set(name, { line, value: attributes.maxAge > 0 ? value : undefined });
  }

  /** The `Set-Cookie` lines to send, one per cookie written. */
  get setCookies(): string[] {
    return [...this.#written.values()].map(({ line }) => line);
  }

  /** The request's `Cookie` header with this jar's writes applied; every other cookie is passed on as it came. */
  cookieHeader(): string {
    const kept = this.#header
      .split(";")
      .map((pair) => pair.trim())
      .filter((pair) => pair && !this.#written.has(pair.split("=", 1)[0]?.trim() ?? ""));
    for (const [name, { value }] of this.#written) if (value !== undefined) kept.push(`${name}=${value}`);
    return kept.join("; ");
  }
}

/** A value written in one or more cookies: reads `<name>`, else `<name>.0`, `<name>.1`, … in order. */
export function readChunked(jar: CookieJar, name: string): string | undefined {
  const whole = jar.get(name);
  if (whole !== undefined) return whole;
  let value = "";
  for (let i = 0; i < maxChunks; i++) {
    const chunk = jar.get(`${name}.${i}`);
    if (chunk === undefined) break;
    value += chunk;
  }
  return value === "" ? undefined : value;
}

/** Whether any cookie of the value (whole or chunked) is present. */
export function hasChunked(jar: CookieJar, name: string): boolean {
  return jar.get(name) !== undefined || jar.get(`${name}.0`) !== undefined;
}

/**
 * Writes `value` as one cookie, or in chunks past {@link chunkSize}, and deletes the pieces of an earlier value
 * that are no longer needed. `value` undefined deletes every piece.
 */
export function writeChunked(
  jar: CookieJar,
  name: string,
  value: string | undefined,
  attributes: CookieAttributes,
): void {
  const cleared = { ...attributes, maxAge: 0 };
  const pieces = value === undefined ? [] : value.length <= chunkSize ? [value] : split(value);
  if (pieces.length > maxChunks) throw new Error(`The session does not fit in ${maxChunks} cookies.`);
  if (pieces.length === 1) jar.set(name, pieces[0] as string, attributes);
  else if (jar.get(name) !== undefined) jar.set(name, "", cleared);
  for (let i = 0; i < maxChunks; i++) {
    const chunk = `${name}.${i}`;
    if (pieces.length > 1 && i < pieces.length) jar.set(chunk, pieces[i] as string, attributes);
    else if (jar.get(chunk) !== undefined) jar.set(chunk, "", cleared);
    else if (i >= pieces.length) break;
  }
}

function split(value: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < value.length; at += chunkSize) pieces.push(value.slice(at, at + chunkSize));
  return pieces;
}
