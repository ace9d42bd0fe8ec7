/**
 * Encryption at rest: AES-256-GCM with keys derived by HKDF-SHA256 from secrets, on Web Crypto only. The first
 * secret encrypts; every secret decrypts, so a secret is rotated by putting the new one first and dropping the old
 * one once everything was written again.
 *
 * This file is self-contained on purpose: it should move to `@pintoken/core`, so that `@pintoken/next`'s session
 * cookies and this store derive and use keys in one place.
 *
 * A sealed value is `v1.<key id>.<iv>.<ciphertext and tag>` (base64url). The key id is derived from the secret
 * (never the secret itself), so opening picks the right key at once. `context` is authenticated but not stored:
 * a value sealed for one context (e.g. one store key) does not open in another.
 */
import { ConfigurationError } from "@pintoken/core";

/**
 * Seals and opens strings with the keys derived from a list of secrets.
 *
 * @example
 * ```ts
 * const sealer = createSealer(["a new secret of at least 32 characters", "the previous secret, still readable"], "tokens");
 * const sealed = await sealer.seal("plain text", "user-42");
 * await sealer.open(sealed, "user-42"); // "plain text"
 * ```
 */
export interface Sealer {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

/** Shortest secret accepted: 32 characters, e.g. `openssl rand -base64 32` (44). */
export const minSecretLength = 32;

interface DerivedKey {
  readonly id: string;
  readonly key: CryptoKey;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function derive(secret: string, purpose: string): Promise<DerivedKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveBits",
    "deriveKey",
  ]);
  const hkdf = (info: string) => ({
    name: "HKDF",
    hash: "SHA-256",
    salt: new Uint8Array(),
    info: encoder.encode(info),
  });
  const [id, key] = await Promise.all([
    crypto.subtle.deriveBits(hkdf(`pintoken ${purpose} key id`), material, 64),
    crypto.subtle.deriveKey(
      hkdf(`pintoken ${purpose} AES-256-GCM`),
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    ),
  ]);
  return { id: base64url(new Uint8Array(id)), key };
}

/** Checks the secrets: one string or a non-empty list, each at least {@link minSecretLength} characters. */
export function checkSecrets(secrets: unknown, option: string): readonly string[] {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigurationError(
      `${option} must be a secret string or a non-empty list of them (the first encrypts, all decrypt).`,
    );
  }
  list.forEach((secret: unknown, index) => {
    if (typeof secret !== "string" || secret.length < minSecretLength) {
      throw new ConfigurationError(
        `${option}${typeof secrets === "string" ? "" : `[${index}]`} must be a string of at least ${minSecretLength} random characters, e.g. from \`openssl rand -base64 32\`.`,
      );
    }
  });
  return list;
}

/**
 * Creates a {@link Sealer} from secrets (checked at once; keys are derived on first use). `purpose` separates keys:
 * the same secret yields unrelated keys for different purposes.
 *
 * @example
 * ```ts
 * const sealer = createSealer(process.env.TOKEN_SECRET!, "token-store");
 * ```
 */
export function createSealer(secrets: string | readonly string[], purpose: string): Sealer {
  const list = checkSecrets(secrets, "secret");
  let keys: Promise<DerivedKey[]> | undefined;
  const derived = () => {
    keys ??= Promise.all(list.map((secret) => derive(secret, purpose)));
    return keys;
  };
  return {
    async seal(plaintext, context) {
      const [current] = await derived();
      if (!current) throw new Error("no key");
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
        current.key,
        encoder.encode(plaintext),
      );
      return `v1.${current.id}.${base64url(iv)}.${base64url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed, context) {
      const [version, id, iv, ciphertext, ...rest] = sealed.split(".");
      if (version !== "v1" || !id || !iv || !ciphertext || rest.length > 0) {
        throw new Error("it is not a value sealed by this version of pintoken");
      }
      const match = (await derived()).find((candidate) => candidate.id === id);
      if (!match) {
        throw new Error(
          "it was encrypted with a secret that is not in the list: add that secret (after the current one) to read it",
        );
      }
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
