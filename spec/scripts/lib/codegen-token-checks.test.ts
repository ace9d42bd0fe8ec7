import { describe, expect, it } from "vitest";
import { loadDocument } from "../../../packages/codegen/src/document.ts";
import { repo } from "../../test/helpers.ts";
import { tokenChecksModule } from "./codegen-token-checks.ts";

type Schemas = Parameters<typeof tokenChecksModule>[0];

/** A token response described as Pinterest does it: a oneOf picked by response_type, fields spread over allOf. */
function described(extra: Record<string, unknown> = {}): Schemas {
  const base = {
    type: "object",
    properties: { access_token: { type: "string" }, expires_in: { type: "integer" } },
    required: ["access_token", "expires_in"],
  };
  return {
    Error: { type: "object", properties: { code: { type: "integer" } }, required: ["code"] },
    OauthAccessTokenResponse: {
      oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }],
      discriminator: {
        propertyName: "response_type",
        mapping: { a: "#/components/schemas/A", b: "#/components/schemas/B" },
      },
    },
    A: { allOf: [base], properties: { response_type: { type: "string", enum: ["a"] } } },
    B: {
      type: "object",
      allOf: [{ $ref: "#/components/schemas/Base" }, { properties: { refresh_token: { type: "string", ...extra } } }],
      properties: { response_type: { type: "string", enum: ["b"] } },
      required: ["refresh_token"],
    },
    Base: base,
  };
}

describe("tokenChecksModule", () => {
  it("flattens allOf and $ref: what every variant requires, what each requires besides or leaves out, every field's type", () => {
    const source = tokenChecksModule(described());
    const shape = JSON.parse(/tokenResponseShape: Shape = (\{[\s\S]*?\n\});/.exec(source)?.[1] ?? "null");
    expect(shape).toEqual({
      tag: "response_type",
      variants: ["a", "b"],
      // Required by both, first; refresh_token: left out by a, required by b.
      fields: { access_token: ["string", "RR"], expires_in: ["integer", "RR"], refresh_token: ["string", "-R"] },
    });
    expect(source).toMatch(/errorShape: Shape = \{\s+"fields": \{\s+"code": \["integer", "R"\]\s+\}/);
  });

  it("refuses what the check cannot enforce, naming the schema and what to extend", () => {
    expect(() => tokenChecksModule(described({ minLength: 1 }))).toThrow(
      /B\.refresh_token: the keyword "minLength" is not supported by core's token response check\. Extend spec\/scripts\/lib\/codegen-token-checks\.ts/,
    );
    expect(() => tokenChecksModule(described({ type: "array" }))).toThrow(/a field of type "array" is not supported/);
    const { OauthAccessTokenResponse: _, ...noRoot } = described();
    expect(() => tokenChecksModule(noRoot)).toThrow(/no OauthAccessTokenResponse schema/);
  });

  it("accepts Pinterest's corrected description", async () => {
    const doc = await loadDocument(repo.openapi);
    const schemas = (doc.components as { schemas: Schemas }).schemas;
    expect(tokenChecksModule(schemas)).toMatch(/"refresh_token_expires_in": \["integer", "[Ro-]+"\]/);
  });
});
