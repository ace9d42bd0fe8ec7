/**
 * Keys from secrets, on Web Crypto only: what every pintoken package that encrypts with an app secret shares (the
 * `@pintoken/next` session cookie, token sets at rest in `@pintoken/redis`). A secret is checked once, with errors
 * that say how to make a good one; keys are derived from it with HKDF-SHA-256 for one purpose; each key has an id, so
 * a list of secrets rotates: the first encrypts, every one decrypts, and a value names the key it needs.
 *
 * Derivation, for anyone who needs to read these values elsewhere: HKDF-SHA-256 (RFC 5869) over the UTF-8 bytes of
 * the secret, salt the UTF-8 bytes of `pintoken`, gives the AES-256-GCM key with info `pintoken/<purpose>/aes-256-gcm`
 * (32 bytes) and the key id with info `pintoken/<purpose>/key-id` (9 bytes, written as 12 base64url characters).
 * The id reveals nothing about the secret beyond telling two secrets apart.
 *
 * @example
 * ```ts
 * import { createKeyRing } from "@pintoken/core/crypto";
 *
 * const keys = createKeyRing([process.env.NEW_SECRET!, process.env.OLD_SECRET!], "my-cache");
 * const { id, key } = await keys.current(); // encrypt with `key` (AES-GCM), store `id` beside the ciphertext
 * const match = await keys.find(id); // when reading: the key of whichever secret wrote it, or undefined
 * ```
 *
 * @module
 */
import { base64url, fromBase64url } from "./base64url.ts";
import { ConfigurationError } from "./errors.ts";

export { base64url, fromBase64url } from "./base64url.ts";

/**
 * The shortest secret accepted: 32 characters (`openssl rand -base64 32` prints 44).
 *
 * @example
 * ```ts
 * if (secret.length < minSecretLength) throw new Error(`PINTOKEN_SECRET needs at least ${minSecretLength} characters`);
 * ```
 */
export const minSecretLength = 32;

/**
 * How {@link checkSecrets} names the secret in its messages.
 *
 * @example
 * ```ts
 * checkSecrets(process.env.PINTOKEN_SECRET?.split(","), { name: "secret", source: "PINTOKEN_SECRET" });
 * ```
 */
export interface SecretOptions {
  /** The option's name. Default `"secret"`. */
  name?: string | undefined;
  /** Where users set it (e.g. an environment variable), added to the messages: `…, in PINTOKEN_SECRET.` */
  source?: string | undefined;
}

const howToMake = `at least ${minSecretLength} random characters, e.g. the output of \`openssl rand -base64 32\``;

/**
 * Checks a secret, or a list of them (the first encrypts, all decrypt), and returns the list. Each must be a string
 * of at least {@link minSecretLength} characters; anything else throws a `ConfigurationError` that names the entry
 * (`secret #2`) and says how to make a good one.
 *
 * @example
 * ```ts
 * const secrets = checkSecrets(options.secret, { name: "secret" }); // ["…"]
 * checkSecrets("too short"); // throws: secret is too short (9 characters): use at least 32 random characters, …
 * ```
 */
export function checkSecrets(value: unknown, options: SecretOptions = {}): readonly string[] {
  const name = options.name ?? "secret";
  const where = options.source ? `, in ${options.source}` : "";
  const list: unknown = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigurationError(
      `${name} must be a secret (${howToMake}) or a non-empty list of them, the first encrypting and all decrypting${where}.`,
    );
  }
  return list.map((secret: unknown, index) => {
    const which = list.length > 1 ? `${name} #${index + 1}` : name;
    if (typeof secret !== "string") throw new ConfigurationError(`${which} must be a string of ${howToMake}${where}.`);
    if (secret.length < minSecretLength) {
      throw new ConfigurationError(`${which} is too short (${secret.length} characters): use ${howToMake}${where}.`);
    }
    return secret;
  });
}

/**
 * A key derived from one secret for one purpose.
 *
 * @example
 * ```ts
 * const { id, key }: DerivedKey = await deriveKey(secret, "token-store");
 * ```
 */
export interface DerivedKey {
  /** Names the key (and so its secret) without revealing it: 12 base64url characters. */
  readonly id: string;
  /** An AES-256-GCM key for `encrypt` and `decrypt`; not extractable. */
  readonly key: CryptoKey;
}

const encoder = new TextEncoder();
const salt = encoder.encode("pintoken");
const purposePattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

function checkPurpose(purpose: unknown): string {
  if (typeof purpose !== "string" || !purposePattern.test(purpose))
    throw new ConfigurationError(
      `purpose must be a short label of lower-case letters, digits and "-" (e.g. "token-store"), got ${JSON.stringify(purpose)}.`,
    );
  return purpose;
}

/**
 * Derives the key and key id of `secret` for `purpose` (HKDF-SHA-256; see the module's description). The same secret
 * gives unrelated keys for different purposes, so a value encrypted for one purpose never decrypts for another.
 *
 * @example
 * ```ts
 * const { id, key } = await deriveKey(process.env.PINTOKEN_SECRET!, "token-store");
 * const iv = crypto.getRandomValues(new Uint8Array(12));
 * const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode("…"));
 * ```
 */
export async function deriveKey(secret: string, purpose: string): Promise<DerivedKey> {
  checkPurpose(purpose);
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const bits = (info: string, length: number) =>
    crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt, info: encoder.encode(`pintoken/${purpose}/${info}`) },
      material,
      length,
    );
  const [keyBits, idBits] = await Promise.all([bits("aes-256-gcm", 256), bits("key-id", 72)]);
  const key = await crypto.subtle.importKey("raw", keyBits, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id: base64url(new Uint8Array(idBits)), key };
}

/**
 * The keys of a list of secrets for one purpose: the first secret's key encrypts, every secret's key decrypts.
 *
 * @example
 * ```ts
 * const keys: KeyRing = createKeyRing(secrets, "token-store");
 * const { id, key } = await keys.current();
 * ```
 */
export interface KeyRing {
  readonly purpose: string;
  /** The key that encrypts: the first secret's. */
  current(): Promise<DerivedKey>;
  /** The key with this id, of any of the secrets; `undefined` when none has it (a secret that was dropped). */
  find(id: string): Promise<DerivedKey | undefined>;
}

/**
 * Checks `secrets` at once (see {@link checkSecrets}) and returns their {@link KeyRing} for `purpose`. The keys are
 * derived on first use, once.
 *
 * @example
 * ```ts
 * import { createKeyRing } from "@pintoken/core/crypto";
 *
 * // Rotation: put the new secret first; drop the old one once everything it encrypted was written again.
 * const keys = createKeyRing([process.env.SECRET!, process.env.PREVIOUS_SECRET!], "token-store");
 * ```
 */
export function createKeyRing(
  secrets: string | readonly string[],
  purpose: string,
  options: SecretOptions = {},
): KeyRing {
  const list = checkSecrets(secrets, options);
  checkPurpose(purpose);
  let keys: Promise<DerivedKey[]> | undefined;
  const derived = () => {
    keys ??= Promise.all(list.map((secret) => deriveKey(secret, purpose)));
    return keys;
  };
  return {
    purpose,
    current: async () => (await derived())[0] as DerivedKey,
    find: async (id) => (await derived()).find((candidate) => candidate.id === id),
  };
}

/**
 * Seals and opens strings with the keys of a {@link KeyRing}: AES-256-GCM, authenticated with a context (e.g. the
 * store key) that is not stored, so a value sealed under one context does not open under another.
 *
 * @example
 * ```ts
 * const sealer: Sealer = createSealer(process.env.TOKEN_SECRET!, "token-store");
 * const sealed = await sealer.seal(JSON.stringify(tokenSet), "user-42");
 * const json = await sealer.open(sealed, "user-42");
 * ```
 */
export interface Sealer {
  /** `v1.<key id>.<iv>.<ciphertext and tag>`, each part base64url: the key id names the secret needed to open it. */
  seal(plaintext: string, context: string): Promise<string>;
  /** The plaintext; throws an `Error` saying why a value does not open (not sealed, unknown key, altered). */
  open(sealed: string, context: string): Promise<string>;
}

/**
 * A {@link Sealer} over the keys of `secrets` for `purpose` (checked at once, see {@link checkSecrets}; keys derived on
 * first use): the first secret seals, every secret opens. What the token stores use to encrypt token sets at rest
 * (purpose `token-store`).
 *
 * @example
 * ```ts
 * import { createSealer } from "@pintoken/core/crypto";
 *
 * const sealer = createSealer([process.env.TOKEN_SECRET!, process.env.PREVIOUS_TOKEN_SECRET!], "token-store");
 * const sealed = await sealer.seal("plain text", "user-42");
 * await sealer.open(sealed, "user-42"); // "plain text"
 * ```
 */
export function createSealer(
  secrets: string | readonly string[],
  purpose: string,
  options: SecretOptions = {},
): Sealer {
  const keys = createKeyRing(secrets, purpose, options);
  return {
    async seal(plaintext, context) {
      const { id, key } = await keys.current();
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
        key,
        encoder.encode(plaintext),
      );
      return `v1.${id}.${base64url(iv)}.${base64url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed, context) {
      const [version, id, iv, ciphertext, ...rest] = sealed.split(".");
      if (version !== "v1" || !id || !iv || !ciphertext || rest.length > 0)
        throw new Error("it is not a value sealed by this version of pintoken");
      const match = await keys.find(id);
      if (!match)
        throw new Error(
          "it was encrypted with a secret that is not in the list: add that secret (after the current one) to read it",
        );
      try {
        const plaintext = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: fromBase64url(iv), additionalData: encoder.encode(context) },
          match.key,
          fromBase64url(ciphertext),
        );
        return new TextDecoder().decode(plaintext);
      } catch {
        throw new Error("it does not authenticate: it was altered, or copied from another key");
      }
    },
  };
}
