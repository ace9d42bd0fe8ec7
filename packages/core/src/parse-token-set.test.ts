import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { tokenBody } from "../test/helpers.ts";
import { createSealer } from "./crypto.ts";
import { openTokenSet, parseTokenSet, tokenSetFields } from "./parse-token-set.ts";
import { type TokenSet, toTokenSet } from "./token-set.ts";

const fields: readonly string[] = tokenSetFields;

/** Every shape of token set the client makes, from spec-shaped answers of every grant. */
const made: TokenSet[] = [
  toTokenSet(tokenBody("authorization_code") as never, "authorization_code", 1_750_000_000_000),
  toTokenSet(tokenBody("refresh_token") as never, "refresh_token", 1_750_000_000_000),
  toTokenSet(tokenBody("client_credentials") as never, "client_credentials", 1_750_000_000_000),
  toTokenSet(tokenBody("integration_refresh") as never, "refresh_token", 1_750_000_000_000),
  { accessToken: "pina_old", tokenType: "bearer", scopes: [], expiresAt: 1, responseType: "authorization_code" }, // no issuedAt: saved by an earlier version
];

describe("parseTokenSet", () => {
  it("reads back every token set the client makes, through JSON", () => {
    for (const tokenSet of made) expect(parseTokenSet(JSON.parse(JSON.stringify(tokenSet)))).toEqual(tokenSet);
  });

  it("returns a copy that shares nothing with its input", () => {
    const input = JSON.parse(JSON.stringify(made[0]));
    const parsed = parseTokenSet(input);
    parsed?.scopes.push("changed");
    expect(input.scopes).not.toContain("changed");
  });

  it("is undefined when a required field is missing or any field has the wrong type", () => {
    const valid = made[1] as TokenSet;
    for (const field of ["accessToken", "tokenType", "scopes", "expiresAt", "responseType"]) {
      const { [field]: _, ...missing } = valid as unknown as Record<string, unknown>;
      expect(parseTokenSet(missing), `without ${field}`).toBeUndefined();
    }
    const wrong: Record<string, unknown[]> = {
      accessToken: [42, null, ["pina"]],
      tokenType: [1, null],
      scopes: ["pins:read", [1], null, {}],
      expiresAt: ["1750000000000", Number.NaN, Number.POSITIVE_INFINITY, null],
      responseType: [7, null],
      refreshToken: [1, null, {}],
      refreshTokenExpiresAt: ["soon", null],
      issuedAt: ["now", null],
    };
    for (const [field, values] of Object.entries(wrong)) {
      for (const value of values)
        expect(parseTokenSet({ ...valid, [field]: value }), `${field}: ${String(value)}`).toBeUndefined();
    }
    for (const notAnObject of [undefined, null, "", "{}", 42, true, [], [valid]]) {
      expect(parseTokenSet(notAnObject)).toBeUndefined();
    }
  });

  it("leaves extra fields behind, __proto__ included, and never reads inherited ones", () => {
    const json = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"extra":"x",${JSON.stringify(made[0]).slice(1)}`;
    const parsed = parseTokenSet(JSON.parse(json));
    expect(parsed).toEqual(made[0]);
    expect(Object.keys(parsed ?? {}).every((key) => fields.includes(key))).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(parseTokenSet(Object.create(made[0] as TokenSet))).toBeUndefined(); // every field inherited, none own
  });

  it("never throws, and what it returns is a token set it reads back the same (any JSON value)", () => {
    const tokenSetLike = fc.record(
      {
        accessToken: fc.oneof(fc.string(), fc.jsonValue()),
        tokenType: fc.oneof(fc.constant("bearer"), fc.jsonValue()),
        scopes: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        expiresAt: fc.oneof(fc.double(), fc.jsonValue()),
        responseType: fc.oneof(fc.constant("refresh_token"), fc.jsonValue()),
        refreshToken: fc.oneof(fc.string(), fc.jsonValue()),
        refreshTokenExpiresAt: fc.oneof(fc.integer(), fc.jsonValue()),
        issuedAt: fc.oneof(fc.integer(), fc.jsonValue()),
        other: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), tokenSetLike), (value) => {
        const parsed = parseTokenSet(JSON.parse(JSON.stringify(value) ?? "null"));
        if (parsed === undefined) return;
        expect(Object.keys(parsed).every((key) => fields.includes(key))).toBe(true);
        expect(parseTokenSet(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
      }),
      { numRuns: 2_000 },
    );
  }, 60_000); // 2,000 generated values: seconds alone, longer on a loaded 2-core machine
});

describe("openTokenSet", () => {
  const tokenSet = parseTokenSet({
    accessToken: "pina_a",
    tokenType: "bearer",
    scopes: ["pins:read"],
    expiresAt: 1_800_000_000_000,
    responseType: "refresh_token",
    refreshToken: "pinr_r",
  });
  const sealer = createSealer("s".repeat(16) + "t".repeat(16) + "u".repeat(16), "token-store");

  test("reads JSON, and JSON sealed for the same context", async () => {
    expect(await openTokenSet(JSON.stringify(tokenSet), undefined, "user-1")).toEqual(tokenSet);
    const sealed = await sealer.seal(JSON.stringify(tokenSet), "user-1");
    expect(await openTokenSet(sealed, sealer, "user-1")).toEqual(tokenSet);
  });

  test.each([
    [
      "a sealed value without a secret",
      async () => openTokenSet(await sealer.seal("{}", "user-1"), undefined, "user-1"),
      /^is encrypted: pass the secret/,
    ],
    [
      "a sealed value for another context",
      async () => openTokenSet(await sealer.seal("{}", "user-1"), sealer, "user-2"),
      /^cannot be decrypted: /,
    ],
    ["a value that is not JSON", async () => openTokenSet("{", undefined, "user-1"), /^is not JSON$/],
    [
      "JSON that is no token set",
      async () => openTokenSet('{"accessToken":1}', undefined, "user-1"),
      /^does not have the fields of a token set$/,
    ],
  ])("says why it cannot read %s", async (_, open, why) => {
    await expect(open()).rejects.toThrow(why);
  });
});

test("openTokenSet never quotes the stored value, not even through a cause", async () => {
  const error = await openTokenSet('{"accessToken":"SECRET-LOOKING"', undefined, "user-1").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect(inspect(error, { depth: 10 })).not.toContain("SECRET-LOOKING");
});
