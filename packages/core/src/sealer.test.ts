import { describe, expect, it } from "vitest";
import { base64url, createSealer, deriveKey, fromBase64url } from "./crypto.ts";
import { ConfigurationError } from "./errors.ts";

const current = "the-current-secret-0123456789abcdefghij";
const previous = "the-previous-secret-0123456789abcdefghij";

describe("base64url", () => {
  it("round-trips every byte, without padding, and refuses other characters", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = base64url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64url(text)).toEqual(bytes);
    expect(base64url(new Uint8Array([251, 255]))).toBe("-_8");
    expect(() => fromBase64url("a+b/")).toThrow(TypeError);
  });
});

describe("createSealer", () => {
  it("opens what it sealed, for the same context only", async () => {
    const sealer = createSealer(current, "token-store");
    const sealed = await sealer.seal("plain ünïcødé text", "user-1");
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("plain");
    expect(await sealer.open(sealed, "user-1")).toBe("plain ünïcødé text");
    await expect(sealer.open(sealed, "user-2")).rejects.toThrow(/does not authenticate/);
  });

  it("seals the same text differently every time (random IV)", async () => {
    const sealer = createSealer(current, "token-store");
    const [a, b] = await Promise.all([sealer.seal("same", "k"), sealer.seal("same", "k")]);
    expect(a).not.toBe(b);
  });

  it("rotates: the first secret seals, every secret opens, a dropped secret no longer opens", async () => {
    const old = createSealer(previous, "token-store");
    const sealedByOld = await old.seal("old data", "k");
    const rotated = createSealer([current, previous], "token-store");
    expect(await rotated.open(sealedByOld, "k")).toBe("old data");
    const sealedByNew = await rotated.seal("new data", "k");
    expect(await createSealer(current, "token-store").open(sealedByNew, "k")).toBe("new data");
    await expect(old.open(sealedByNew, "k")).rejects.toThrow(/secret that is not in the list/);
    await expect(createSealer(current, "token-store").open(sealedByOld, "k")).rejects.toThrow(/not in the list/);
  });

  it("writes the documented format: v1, the key id core derives for the purpose token-store, IV and ciphertext", async () => {
    const sealed = await createSealer([current, previous], "token-store").seal("data", "k");
    const [version, id, iv, ciphertext] = sealed.split(".");
    expect(version).toBe("v1");
    expect(id).toBe((await deriveKey(current, "token-store")).id);
    expect(fromBase64url(iv ?? "")).toHaveLength(12);
    expect(fromBase64url(ciphertext ?? "")).toHaveLength(4 + 16); // "data" and the GCM tag
  });

  it("refuses altered values and values it did not seal", async () => {
    const sealer = createSealer(current, "token-store");
    const sealed = await sealer.seal("data", "k");
    const [v, id, iv, ciphertext = ""] = sealed.split(".");
    const flipped = `${ciphertext.slice(0, -2)}${ciphertext.at(-2) === "A" ? "B" : "A"}${ciphertext.at(-1)}`;
    await expect(sealer.open([v, id, iv, flipped].join("."), "k")).rejects.toThrow(/does not authenticate/);
    for (const bad of ["", "v1", "v2.a.b.c", "v1.a.b", `${sealed}.extra`, `v1.${id}.!!.${ciphertext}`]) {
      await expect(sealer.open(bad, "k")).rejects.toThrow();
    }
  });

  it("asks for long enough secrets, naming the option and how to make one", () => {
    expect(() => createSealer("too short", "token-store")).toThrow(ConfigurationError);
    expect(() => createSealer("too short", "token-store")).toThrow(/at least 32 random characters.*openssl rand/);
    expect(() => createSealer([current, "short"], "token-store")).toThrow(/secret #2 is too short/);
    expect(() => createSealer([], "token-store")).toThrow(/non-empty list/);
    expect(() => createSealer(42 as never, "token-store")).toThrow(/must be a secret/);
  });
});
