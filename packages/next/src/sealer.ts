import { EncryptJWT, type JWTPayload, jwtDecrypt } from "jose";

/** What a sealed value is for: a session cookie cannot be replayed as a state cookie, nor the reverse. */
export type SealPurpose = "session" | "state";

/**
 * Encrypts and authenticates cookie values: a JWE (`dir`, `A256GCM`) whose key is derived from each secret with
 * HKDF-SHA-256 (Web Crypto). The first secret encrypts; every secret decrypts, picked by the `kid` header.
 */
export interface Sealer {
  /** Encrypts `claims`, valid until `expiresAt` (epoch ms). */
  seal(purpose: SealPurpose, claims: JWTPayload, expiresAt: number): Promise<string>;
  /** The claims, or `undefined` for anything tampered, truncated, expired, foreign or meant for another purpose. */
  unseal(purpose: SealPurpose, value: string): Promise<JWTPayload | undefined>;
}

interface DerivedKey {
  kid: string;
  key: CryptoKey;
}

const encoder = new TextEncoder();
/** Far above any real cookie (chunks included); longer input is rejected before any decryption work. */
const maxSealedLength = 64 * 1024;
/** How many verified session cookies are remembered (a browser polling `/session` sends the same one each time). */
const rememberedSessions = 1000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function derive(secret: string): Promise<DerivedKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const hkdf = (info: string, bits: number) =>
    crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode("pintoken"), info: encoder.encode(info) },
      material,
      bits,
    );
  const [keyBits, idBits] = await Promise.all([
    hkdf("pintoken cookie key v1", 256),
    hkdf("pintoken cookie kid v1", 72),
  ]);
  const key = await crypto.subtle.importKey("raw", keyBits, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { kid: base64url(idBits), key };
}

/**
 * Creates the sealer for `secrets` (checked by the caller). Keys are derived once, on first use.
 *
 * @example
 * ```ts
 * const sealer = createSealer([process.env.PINTOKEN_SECRET!], Date.now);
 * const value = await sealer.seal("state", { state }, Date.now() + 600_000);
 * ```
 */
export function createSealer(secrets: readonly string[], clock: () => number): Sealer {
  let keys: Promise<DerivedKey[]> | undefined;
  /**
   * Session cookies already decrypted and verified, by their exact value: decrypting the same authenticated bytes
   * again would give the same claims, so only the expiry is checked again. Least recently used go first.
   */
  const verified = new Map<string, JWTPayload & { exp: number }>();
  const derived = () => {
    keys ??= Promise.all(secrets.map(derive));
    return keys;
  };
  return {
    async seal(purpose, claims, expiresAt) {
      const [current] = await derived();
      if (!current) throw new Error("createSealer needs at least one secret.");
      return new EncryptJWT(claims)
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: current.kid })
        .setAudience(`pintoken:${purpose}`)
        .setIssuedAt(Math.floor(clock() / 1000))
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .encrypt(current.key);
    },
    async unseal(purpose, value) {
      if (value.length > maxSealedLength) return undefined;
      const known = purpose === "session" ? verified.get(value) : undefined;
      if (known) {
        verified.delete(value);
        if (known.exp * 1000 <= clock()) return undefined;
        verified.set(value, known);
        return known;
      }
      const all = await derived();
      try {
        const { payload } = await jwtDecrypt(
          value,
          (header) => {
            const match = all.find((k) => k.kid === header.kid);
            if (!match) throw new Error("unknown key");
            return match.key;
          },
          {
            audience: `pintoken:${purpose}`,
            currentDate: new Date(clock()),
            requiredClaims: ["exp"],
            keyManagementAlgorithms: ["dir"],
            contentEncryptionAlgorithms: ["A256GCM"],
          },
        );
        if (purpose === "session" && typeof payload.exp === "number") {
          verified.set(value, deepFreeze({ ...payload, exp: payload.exp }));
          if (verified.size > rememberedSessions) verified.delete(verified.keys().next().value as string);
        }
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
