import { describe, expect, it } from "vitest";
import { specSchemas as schemas } from "./operations.ts";
import { formatIssues, type SchemaRegistry, validate } from "./validate.ts";

const registry: SchemaRegistry = {
  Pet: {
    oneOf: [{ $ref: "Cat" }, { $ref: "Dog" }],
    discriminator: {
      propertyName: "kind",
      mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" },
    },
  },
  Cat: {
    type: "object",
    properties: { kind: { type: "string", enum: ["cat"] }, lives: { type: "integer", minimum: 0, maximum: 9 } },
    required: ["kind", "lives"],
  },
  Dog: {
    type: "object",
    properties: { kind: { type: "string", enum: ["dog"] }, name: { type: "string", pattern: "^[A-Z]", maxLength: 5 } },
    required: ["kind"],
  },
  Tags: { type: "array", items: { type: "string", nullable: true } },
};

describe("validate", () => {
  it("follows the discriminator to one branch", () => {
    expect(validate(registry, "Pet", { kind: "cat", lives: 9 })).toEqual([]);
    expect(validate(registry, "Pet", { kind: "cat", lives: 10 })).toEqual([
      { path: "/lives", message: "expected ≤ 9, got 10" },
    ]);
    expect(validate(registry, "Pet", { kind: "fish" })).toEqual([
      { path: "/kind", message: 'expected one of "cat", "dog", got string "fish"' },
    ]);
  });

  it("without the discriminator value, accepts any matching branch and reports the closest one", () => {
    expect(validate(registry, { oneOf: [{ $ref: "Cat" }, { $ref: "Dog" }] }, { kind: "dog" })).toEqual([]);
    expect(validate(registry, "Pet", {})).toEqual([{ path: "/kind", message: "is required but missing" }]);
  });

  it("checks strings, arrays and nullability", () => {
    expect(validate(registry, "Dog", { kind: "dog", name: "rex" })).toEqual([
      { path: "/name", message: 'expected a string matching ^[A-Z], got string "rex"' },
    ]);
    expect(validate(registry, "Dog", { kind: "dog", name: "Rexxxxx" })).toEqual([
      { path: "/name", message: "expected at most 5 characters, got 7" },
    ]);
    expect(validate(registry, "Tags", ["a", null, 3])).toEqual([
      { path: "/2", message: "expected string or null, got integer 3" },
    ]);
    expect(validate(registry, "Tags", {})).toEqual([{ path: "", message: "expected array, got object" }]);
  });

  it("reports a problem once, however many parts of the schema state it", () => {
    // Pinterest's refresh response requires refresh_token both beside and inside its allOf.
    const twice = {
      type: "object",
      required: ["token"],
      allOf: [{ type: "object", properties: { token: { type: "string" } }, required: ["token"] }],
    } as const;
    expect(validate(registry, twice, {})).toEqual([{ path: "/token", message: "is required but missing" }]);
    expect(validate(registry, { oneOf: [twice, { type: "string" }] }, {})).toEqual([
      { path: "/token", message: "is required but missing" },
    ]);
  });

  it("allows properties the spec does not list (Pinterest adds fields)", () => {
    expect(validate(registry, "Cat", { kind: "cat", lives: 1, whiskers: true })).toEqual([]);
  });

  it("shows long strings by length only, so tokens never land in messages", () => {
    const [issue] = validate(registry, "Cat", { kind: "pina_0123456789abcdefghijklmnop", lives: 1 });
    expect(issue?.message).toBe('expected one of "cat", got a string of 31 characters');
  });

  it("names an unknown schema and how to fix it", () => {
    expect(() => validate(registry, "Nope", {})).toThrow(/Unknown schema "Nope".*pnpm generate/);
  });

  it("formats issues one per clause", () => {
    expect(
      formatIssues([
        { path: "", message: "a" },
        { path: "/x", message: "b" },
      ]),
    ).toBe("(body): a; /x: b");
  });

  it("validates against the generated Pinterest schemas", () => {
    expect(validate(schemas, "Error", { code: 283, message: "The authorization grant is invalid" })).toEqual([]);
    expect(validate(schemas, "OauthAccessTokenRequest", { grant_type: "refresh_token" })).toEqual([
      { path: "/refresh_token", message: "is required but missing" },
    ]);
    expect(validate(schemas, "OauthAccessTokenRequest", { grant_type: "password" })).toEqual([
      {
        path: "/grant_type",
        message: 'expected one of "authorization_code", "refresh_token", "client_credentials", got string "password"',
      },
    ]);
    expect(validate(schemas, "Account", { id: "12a" })).toEqual([
      { path: "/id", message: 'expected a string matching ^\\d+$, got string "12a"' },
    ]);
  });
});
