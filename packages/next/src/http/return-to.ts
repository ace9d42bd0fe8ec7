const base = "http://pintoken.invalid";
const maxLength = 2048;

/** Starts with exactly one `/`, and holds no backslash or control character (which browsers may read as `/`). */
function isPlainPath(path: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is rejected
  return path.startsWith("/") && !path.startsWith("//") && !/[\\\u0000-\u001f\u007f]/.test(path);
}

/**
 * `value` as a same-origin relative path (`/path?query#hash`), or `undefined` when it is anything else: absolute
 * or protocol-relative URLs (`//evil.com`), backslash tricks (`/\evil.com`), encoded forms of either
 * (`/%2F%2Fevil.com`, `/%5Cevil.com`, double-encoded too), and dot segments that resolve to one (`/a/..//evil.com`).
 *
 * @example
 * ```ts
 * safeReturnTo("/boards?tab=pins"); // "/boards?tab=pins"
 * safeReturnTo("//evil.com");       // undefined
 * ```
 */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (typeof value !== "string" || value === "" || value.length > maxLength) return undefined;
  let layer = value;
  for (let depth = 0; ; depth++) {
    if (!isPlainPath(layer)) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return undefined;
    }
    if (decoded === layer) break;
    if (depth === 3) return undefined;
    layer = decoded;
  }
  const url = new URL(value, base);
  // Dot segments are resolved here: "/a/..//evil.example" becomes "//evil.example", a protocol-relative URL.
  if (url.origin !== base || !isPlainPath(url.pathname)) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * `returnTo` with `pintoken_error=<code>` added to its query (the hash kept).
 *
 * @example
 * ```ts
 * withErrorCode("/boards#top", "access_denied"); // "/boards?pintoken_error=access_denied#top"
 * ```
 */
export function withErrorCode(returnTo: string, code: string): string {
  const url = new URL(returnTo, base);
  url.searchParams.set("pintoken_error", code);
  return `${url.pathname}${url.search}${url.hash}`;
}
