/**
 * base64url (RFC 4648 §5, without padding), on `btoa`/`atob` only: the one encoder of the packages (states, key ids,
 * sealed values, cookies).
 */

/**
 * Encodes bytes as base64url without padding.
 *
 * @example
 * ```ts
 * base64url(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes base64url (padding optional); throws a `TypeError` on any other character.
 *
 * @example
 * ```ts
 * fromBase64url("-_8"); // Uint8Array [251, 255]
 * ```
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new TypeError("not base64url");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
