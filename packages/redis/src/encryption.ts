/**
 * Encryption at rest: AES-256-GCM (Web Crypto) with the keys of `@pintoken/core/crypto`, derived from the store's
 * secrets for the purpose `token-store`. The first secret encrypts; every secret decrypts.
 *
 * A sealed value is `v1.<key id>.<iv>.<ciphertext and tag>`: the key id as core derives it, then the 12-byte IV and
 * the ciphertext with its 16-byte tag in base64url. `context` (the store key) is the additional authenticated data:
 * it is not stored, so a value sealed under one key does not open under another.
 */
import { createKeyRing } from "@pintoken/core/crypto";

/**
 * Seals and opens strings with the keys derived from a list of secrets.
 *
 * @example
 * ```ts
 * const sealer = createSealer(["a new secret of at least 32 characters", "the previous secret, still readable"]);
 * const sealed = await sealer.seal("plain text", "user-42");
 * await sealer.open(sealed, "user-42"); // "plain text"
 * ```
 */
export interface Sealer {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
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

/**
 * Creates a {@link Sealer} from the store's `secret` option (checked at once; keys are derived on first use).
 *
 * @example
 * ```ts
 * const sealer = createSealer(process.env.TOKEN_SECRET!);
 * ```
 */
export function createSealer(secrets: string | readonly string[]): Sealer {
  const keys = createKeyRing(secrets, "token-store", { name: "secret" });
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
      if (version !== "v1" || !id || !iv || !ciphertext || rest.length > 0) {
        throw new Error("it is not a value sealed by this version of pintoken");
      }
      const match = await keys.find(id);
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
