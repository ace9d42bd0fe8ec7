import type { TokenResponseType, TokenSet } from "./token-set.ts";

const isString = (value: unknown): value is string => typeof value === "string";
const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Every field of a `TokenSet`, in the order `parseTokenSet` reads them. */
export const tokenSetFields = [
  "accessToken",
  "tokenType",
  "scopes",
  "expiresAt",
  "responseType",
  "refreshToken",
  "refreshTokenExpiresAt",
  "issuedAt",
] as const;

/** The value's own field, never an inherited one. */
const own = (value: object, name: string): unknown =>
  Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;

/**
 * Reads a `TokenSet` back from where it was kept: JSON in a store (Redis, Deno KV, a database row), the claims of a
 * cookie. Returns a fresh object with only `TokenSet`'s fields, or `undefined` when one is missing or of the wrong
 * type (a value written by something else, or by another version). Extra fields, `__proto__` included, are left
 * behind, so nothing but a token set comes out; the caller decides what an unreadable value means.
 *
 * @example
 * ```ts
 * const tokenSet = parseTokenSet(JSON.parse(row.data));
 * if (!tokenSet) throw new Error("the stored value is not a token set; sign the user in again");
 * ```
 */
export function parseTokenSet(value: unknown): TokenSet | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const [accessToken, tokenType, scopes, expiresAt, responseType, refreshToken, refreshTokenExpiresAt, issuedAt] =
    tokenSetFields.map((name) => own(value, name));
  if (!isString(accessToken) || !isString(tokenType) || !isString(responseType) || !isTime(expiresAt)) return undefined;
  if (!Array.isArray(scopes) || !scopes.every(isString)) return undefined;
  if (refreshToken !== undefined && !isString(refreshToken)) return undefined;
  if (refreshTokenExpiresAt !== undefined && !isTime(refreshTokenExpiresAt)) return undefined;
  if (issuedAt !== undefined && !isTime(issuedAt)) return undefined;
  const tokenSet: TokenSet = {
    accessToken,
    tokenType,
    scopes: [...scopes],
    expiresAt,
    responseType: responseType as TokenResponseType,
  };
  if (refreshToken !== undefined) tokenSet.refreshToken = refreshToken;
  if (refreshTokenExpiresAt !== undefined) tokenSet.refreshTokenExpiresAt = refreshTokenExpiresAt;
  if (issuedAt !== undefined) tokenSet.issuedAt = issuedAt;
  return tokenSet;
}

/**
 * Reads a token set as a store wrote it: JSON, or JSON sealed by `sealer` (`v1.<key id>.…`, see `createSealer` in
 * `@pintoken/core/crypto`) for `context`. Throws an `Error` whose message completes "the stored value …" (why it cannot
 * be read: sealed but no secret given, sealed with another secret or for another key, not JSON, not a token set),
 * for the store to wrap in its own error. The message never quotes the value; the stored value is never changed.
 *
 * @example
 * ```ts
 * const sealer = createSealer(process.env.TOKEN_SECRET!, "token-store");
 * try {
 *   return await openTokenSet(row.data, sealer, key);
 * } catch (error) {
 *   throw new Error(`the stored value ${(error as Error).message}`);
 * }
 * ```
 */
export async function openTokenSet(
  stored: string,
  sealer: { open(sealed: string, context: string): Promise<string> } | undefined,
  context: string,
): Promise<TokenSet> {
  let json = stored;
  if (stored.startsWith("v1.")) {
    if (!sealer) throw new Error("is encrypted: pass the secret it was written with as the store's secret");
    try {
      json = await sealer.open(stored, context);
    } catch (error) {
      throw new Error(`cannot be decrypted: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error("is not JSON"); // not JSON.parse's error: its message quotes the value
  }
  const tokenSet = parseTokenSet(parsed);
  if (!tokenSet) throw new Error("does not have the fields of a token set");
  return tokenSet;
}
