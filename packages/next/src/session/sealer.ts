import { createKeyRing } from "@pintoken/core/crypto";
import { EncryptJWT, type JWTPayload, jwtDecrypt } from "jose";

/** What a sealed value is for: a session cookie cannot be replayed as a state cookie, nor the reverse. */
export type SealPurpose = "session" | "state";

/** A value unsealed: its claims, and whether it was sealed with an older key than the current one. */
export interface Unsealed {
  readonly claims: JWTPayload & { exp: number };
  /** Sealed with a secret other than the first: seal it again so that the old secret can be retired. */
  readonly stale: boolean;
}

/**
 * Encrypts and authenticates cookie values: a compact JWE (`alg: dir`, `enc: A256GCM`, `kid`: the key id) whose key is
 * derived from each secret by `@pintoken/core/crypto` for the purpose `cookie`. The first secret encrypts; every
 * secret decrypts, picked by the `kid` header. The audience `pintoken:session` or `pintoken:state` keeps one kind of
 * cookie from being replayed as the other.
 */
export interface Sealer {
  /** Encrypts `claims`, valid until `expiresAt` (epoch ms). */
  seal(purpose: SealPurpose, claims: JWTPayload, expiresAt: number): Promise<string>;
  /** The claims, or `undefined` for anything tampered, truncated, expired, foreign or meant for another purpose. */
  unseal(purpose: SealPurpose, value: string): Promise<Unsealed | undefined>;
}

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
  const keys = createKeyRing(secrets, "cookie");
  /**
   * Session cookies already decrypted and verified, by their exact value: decrypting the same authenticated bytes
   * again would give the same claims, so only the expiry is checked again. Least recently used go first.
   */
  const verified = new Map<string, Unsealed>();
  return {
    async seal(purpose, claims, expiresAt) {
      const current = await keys.current();
      return new EncryptJWT(claims)
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: current.id })
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
        if (known.claims.exp * 1000 <= clock()) return undefined;
        verified.set(value, known);
        return known;
      }
      try {
        let kid: string | undefined;
        const { payload } = await jwtDecrypt(
          value,
          async (header) => {
            const match = header.kid === undefined ? undefined : await keys.find(header.kid);
            if (!match) throw new Error("unknown key");
            kid = match.id;
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
        if (typeof payload.exp !== "number") return undefined;
        const unsealed: Unsealed = deepFreeze({
          claims: { ...payload, exp: payload.exp },
          stale: kid !== (await keys.current()).id,
        });
        if (purpose === "session") {
          verified.set(value, unsealed);
          if (verified.size > rememberedSessions) verified.delete(verified.keys().next().value as string);
        }
        return unsealed;
      } catch {
        return undefined;
      }
    },
  };
}
