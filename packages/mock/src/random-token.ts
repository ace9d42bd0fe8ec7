/** A random, URL-safe token with a prefix, e.g. `pina_3q2…`: 32 random bytes from `crypto.getRandomValues`. */
export function randomToken(prefix: string, bytes = 32): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  let binary = "";
  for (const byte of random) binary += String.fromCharCode(byte);
  return `${prefix}${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/**
 * Token prefixes. `pina_` (access) and `pinr_` (refresh) follow Pinterest's quickstart mocks and real tokens;
 * ASSUMED: client-credentials tokens also start with `pina_`, and codes have no prefix.
 */
export const tokenPrefix = { access: "pina_", refresh: "pinr_", code: "" } as const;
