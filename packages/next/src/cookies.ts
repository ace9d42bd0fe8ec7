/** The attributes every pintoken cookie is written with. */
export interface CookieAttributes {
  readonly path: string;
  /** Seconds; `0` deletes the cookie. */
  readonly maxAge: number;
  readonly secure: boolean;
}

/**
 * Reads the cookies of one request and writes the response's. Two implementations: over a `Request` (route
 * handler, proxy, any fetch server) and over Next's `cookies()` (Server Components, Server Actions).
 */
export interface CookieJar {
  get(name: string): string | undefined;
  /** Always HttpOnly and SameSite=Lax. Throws where cookies cannot be written (a Server Component). */
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

/** Parses a `Cookie` header; the first of two cookies with one name wins (the browser sends the most specific first). */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name && !cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * A jar over a `Request`'s `Cookie` header that collects `Set-Cookie` lines for the response. Reads see earlier
 * writes, so a request can be handed on with its cookies up to date ({@link RequestCookieJar.cookieHeader}).
 */
export class RequestCookieJar implements CookieJar {
  readonly #cookies: Map<string, string>;
  readonly #written = new Map<string, string>();

  constructor(header: string | null) {
    this.#cookies = parseCookieHeader(header);
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string, attributes: CookieAttributes): void {
    if (attributes.maxAge > 0) this.#cookies.set(name, value);
    else this.#cookies.delete(name);
    this.#written.set(name, serializeCookie(name, value, attributes));
  }

  /** The `Set-Cookie` lines to send, one per cookie written. */
  get setCookies(): string[] {
    return [...this.#written.values()];
  }

  /** The request's `Cookie` header with this jar's writes applied. */
  cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
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
