import { createDecipheriv, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSecrets, createKeyRing, deriveKey, minSecretLength } from "./crypto.ts";
import { ConfigurationError } from "./errors.ts";

const secret = "the-current-secret-0123456789abcdefghij";
const previous = "the-previous-secret-0123456789abcdefghij";

/** Encrypts with a derived key through Web Crypto: returns IV and ciphertext (tag last). */
async function encrypt(key: CryptoKey, text: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(text)),
  );
  return { iv, sealed };
}

describe("deriveKey", () => {
  it("follows the documented derivation: node:crypto's HKDF and AES-GCM, written independently, read what it writes", async () => {
    const { id, key } = await deriveKey(secret, "token-store");
    const hkdf = (info: string, length: number) =>
      Buffer.from(hkdfSync("sha256", secret, "pintoken", `pintoken/token-store/${info}`, length));
    expect(id).toBe(hkdf("key-id", 9).toString("base64url"));
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const { iv, sealed } = await encrypt(key, "plain ünïcødé text");
    const decipher = createDecipheriv("aes-256-gcm", hkdf("aes-256-gcm", 32), iv);
    decipher.setAuthTag(sealed.subarray(-16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]).toString("utf8");
    expect(plain).toBe("plain ünïcødé text");
  });

  it("is deterministic, and separates purposes and secrets", async () => {
    const [a, again, otherPurpose, otherSecret] = await Promise.all([
      deriveKey(secret, "cookie"),
      deriveKey(secret, "cookie"),
      deriveKey(secret, "token-store"),
      deriveKey(previous, "cookie"),
    ]);
    expect(again.id).toBe(a.id);
    const { iv, sealed } = await encrypt(a.key, "x");
    expect(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, again.key, sealed))).toBe("x");
    for (const other of [otherPurpose, otherSecret]) {
      expect(other.id).not.toBe(a.id);
      await expect(crypto.subtle.decrypt({ name: "AES-GCM", iv }, other.key, sealed)).rejects.toThrow();
    }
  });

  it("keys cannot be exported", async () => {
    const { key } = await deriveKey(secret, "cookie");
    expect(key.extractable).toBe(false);
    expect(key.usages.sort()).toEqual(["decrypt", "encrypt"]);
    await expect(crypto.subtle.exportKey("raw", key)).rejects.toThrow();
  });

  it("refuses a purpose that is not a short lower-case label", async () => {
    for (const purpose of ["", "Cookie", "with space", "a/b", "x".repeat(65), 42]) {
      await expect(deriveKey(secret, purpose as string)).rejects.toThrow(ConfigurationError);
    }
    expect(() => createKeyRing(secret, "Bad Purpose")).toThrow(/purpose must be a short label/);
  });
});

describe("createKeyRing", () => {
  it("encrypts with the first secret's key and finds every secret's key by id", async () => {
    const ring = createKeyRing([secret, previous], "token-store");
    const [current, old] = await Promise.all([deriveKey(secret, "token-store"), deriveKey(previous, "token-store")]);
    expect((await ring.current()).id).toBe(current.id);
    expect((await ring.find(current.id))?.id).toBe(current.id);
    expect((await ring.find(old.id))?.id).toBe(old.id);
    expect(await ring.find("unknown-key-")).toBeUndefined();
    expect(await createKeyRing(secret, "token-store").find(old.id)).toBeUndefined(); // the old secret was dropped
  });

  it("shows no secret or key when serialized", () => {
    const ring = createKeyRing(secret, "cookie");
    expect(JSON.stringify(ring)).toBe('{"purpose":"cookie"}');
  });
});

describe("checkSecrets", () => {
  it("takes one secret or a list, and returns the list", () => {
    expect(checkSecrets(secret)).toEqual([secret]);
    expect(checkSecrets([secret, previous])).toEqual([secret, previous]);
    expect(minSecretLength).toBe(32);
  });

  it("says what is wrong and how to make a good secret, naming the entry of a list and where it is set", () => {
    const message = (value: unknown, options?: Parameters<typeof checkSecrets>[1]) => {
      try {
        checkSecrets(value, options);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message;
      }
      throw new Error("no error");
    };
    expect(message("too-short")).toBe(
      "secret is too short (9 characters): use at least 32 random characters, e.g. the output of `openssl rand -base64 32`.",
    );
    expect(message([secret, "short"], { source: "PINTOKEN_SECRET" })).toBe(
      "secret #2 is too short (5 characters): use at least 32 random characters, e.g. the output of `openssl rand -base64 32`, in PINTOKEN_SECRET.",
    );
    expect(message([secret, 42], { name: "encryptionSecret" })).toMatch(
      /^encryptionSecret #2 must be a string of at least 32/,
    );
    for (const nothing of [undefined, null, [], 42, { secret }]) {
      expect(message(nothing)).toMatch(
        /^secret must be a secret \(at least 32 random characters.*\) or a non-empty list/,
      );
    }
  });

  it("never puts a secret into its messages", () => {
    const almost = "0123456789abcdefghijklmnopqrstu"; // 31 characters
    expect(() => checkSecrets([secret, almost])).toThrow(/secret #2 is too short \(31 characters\)/);
    try {
      checkSecrets([secret, almost]);
    } catch (error) {
      expect((error as Error).message).not.toContain(almost);
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
