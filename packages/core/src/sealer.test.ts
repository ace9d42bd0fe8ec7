import { expect, it } from "vitest";
import { createSealer } from "./crypto.ts";

const secret = "a-secret-of-at-least-32-characters-0001";
const previous = "the-previous-secret-of-32-characters-0002";

it("seals to v1.<key id>.<iv>.<ciphertext> and opens under the same context", async () => {
  const sealer = createSealer(secret, "token-store");
  const sealed = await sealer.seal('{"accessToken":"pina_x"}', "user-42");
  expect(sealed).toMatch(/^v1\.[\w-]{12}\.[\w-]{16}\.[\w-]+$/);
  expect(sealed).not.toContain("pina_x");
  expect(await sealer.open(sealed, "user-42")).toBe('{"accessToken":"pina_x"}');
  await expect(sealer.open(sealed, "user-43")).rejects.toThrow(/does not authenticate/);
});

it("rotates: the first secret seals, every secret opens, a dropped one says which to add", async () => {
  const old = await createSealer(previous, "token-store").seal("old", "k");
  const both = createSealer([secret, previous], "token-store");
  expect(await both.open(old, "k")).toBe("old");
  expect(await createSealer(secret, "token-store").open(await both.seal("new", "k"), "k")).toBe("new");
  await expect(createSealer(secret, "token-store").open(old, "k")).rejects.toThrow(/secret that is not in the list/);
  await expect(createSealer(secret, "other-purpose").open(await both.seal("x", "k"), "k")).rejects.toThrow(
    /not in the list/,
  );
  await expect(both.open("v1.nope", "k")).rejects.toThrow(/not a value sealed/);
  expect(() => createSealer("short", "token-store", { name: "secret" })).toThrow(/secret is too short/);
});
