/**
 * What the committed description promises, whichever Pinterest release it was made from: spec/openapi.yaml is exactly
 * Pinterest's release kept in spec/upstream/pinterest/ with the overlay applied; and the token
 * endpoint's contract (each grant its own body, each response variant its own type, continuous_refresh declared,
 * a refresh returning its rotated refresh token) holds in the corrected description. Nothing here depends on
 * Pinterest's prose, key order or version: `pnpm spec:update` to another release keeps these tests as they are.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Doc, loadDocument, resolveRef } from "../packages/codegen/src/document.ts";
import { operations } from "../packages/codegen/src/filter.ts";
import { correctedRelease, renderCorrectedSpec } from "./scripts/lib/build.ts";
import { at, loadRelease, readRepoFile, repo } from "./test/helpers.ts";

let release: Awaited<ReturnType<typeof loadRelease>>;
let corrected: Doc;
beforeAll(async () => {
  [release, corrected] = await Promise.all([loadRelease(), loadDocument(repo.openapi)]);
});

type Schema = Record<string, unknown>;
const schema = (doc: Doc, name: string) => at(doc, "components", "schemas", name) as Schema;
const refName = (ref: string) => ref.replace("#/components/schemas/", "");
/** The variants a discriminated schema maps to, by discriminator value. */
const mapping = (doc: Doc, name: string) =>
  Object.entries(at(schema(doc, name), "discriminator", "mapping") as Record<string, string>).map(
    ([value, ref]) => [value, refName(ref)] as const,
  );
/** Every property of a schema, its allOf members' included: its type, whether it is required and readonly. */
function properties(doc: Doc, name: string): Map<string, { type: unknown; required: boolean; readOnly: boolean }> {
  const found = new Map<string, { type: unknown; required: boolean; readOnly: boolean }>();
  const required = new Set<string>();
  const visit = (part: Schema) => {
    for (const field of (part.required ?? []) as string[]) required.add(field);
    for (const [field, sub] of Object.entries((part.properties ?? {}) as Record<string, Schema>)) {
      const resolved = resolveRef(doc, sub) ?? {};
      found.set(field, { type: resolved.type, required: false, readOnly: resolved.readOnly === true });
    }
    for (const member of (part.allOf ?? []) as Schema[]) visit(resolveRef(doc, member) ?? {});
  };
  visit(schema(doc, name));
  for (const [field, shape] of found) shape.required = required.has(field);
  return found;
}
/** The `enum` of a property wherever the schema declares it (at its top or in an allOf member). */
function enumOf(doc: Doc, name: string, property: string): unknown[] {
  const found: unknown[][] = [];
  const visit = (part: Schema) => {
    const declared = at(part, "properties", property, "enum");
    if (Array.isArray(declared)) found.push(declared);
    for (const member of (part.allOf ?? []) as Schema[]) visit(member);
  };
  visit(schema(doc, name));
  expect(found.length, `${name}.${property} declares an enum`).toBeGreaterThan(0);
  return [...new Set(found.flat())];
}

describe("spec/openapi.yaml is Pinterest's release with the overlay applied", () => {
  it("is exactly what @pintoken/codegen's pipeline makes of the release kept in spec/upstream/pinterest/", async () => {
    const expected = renderCorrectedSpec(await correctedRelease());
    expect(expected).toBe(await readRepoFile("spec/openapi.yaml"));
  });

  it("keeps every operation of the release", () => {
    expect(operations(corrected).length).toBe(operations(release.doc).length);
  });
});

describe("the token request, corrected", () => {
  it("is exactly one of the variants its discriminator maps grant_type to, with no base object beside them", () => {
    const request = schema(corrected, "OauthAccessTokenRequest");
    const variants = mapping(corrected, "OauthAccessTokenRequest");
    expect(at(request, "discriminator", "propertyName")).toBe("grant_type");
    expect((request.oneOf as { $ref: string }[]).map((member) => refName(member.$ref))).toEqual(
      variants.map(([, name]) => name),
    );
    // A base object beside oneOf would let generators intersect it with every variant.
    expect(request).not.toHaveProperty("properties");
    expect(request).not.toHaveProperty("type");
    expect(request).not.toHaveProperty("required");
  });

  it("each variant sends its own grant_type only, and requires it", () => {
    for (const [grant, name] of mapping(corrected, "OauthAccessTokenRequest")) {
      expect(enumOf(corrected, name, "grant_type"), name).toEqual([grant]);
      expect(properties(corrected, name).get("grant_type")?.required, name).toBe(true);
    }
  });

  it("a code exchange requires code and redirect_uri, a refresh its refresh_token", () => {
    const code = properties(corrected, "OauthAccessTokenRequestCode");
    expect(code.get("code")?.required).toBe(true);
    expect(code.get("redirect_uri")?.required).toBe(true);
    expect(properties(corrected, "OauthAccessTokenRequestRefresh").get("refresh_token")?.required).toBe(true);
  });

  it("the code exchange, and only it, takes an optional boolean continuous_refresh", () => {
    expect(properties(corrected, "OauthAccessTokenRequestCode").get("continuous_refresh")).toEqual({
      type: "boolean",
      required: false,
      readOnly: false,
    });
    for (const [, name] of mapping(corrected, "OauthAccessTokenRequest")) {
      if (name !== "OauthAccessTokenRequestCode")
        expect(properties(corrected, name).has("continuous_refresh")).toBe(false);
    }
  });
});

describe("the token response, corrected", () => {
  it("is exactly one of the variants its discriminator maps response_type to, integration_refresh included", () => {
    const response = schema(corrected, "OauthAccessTokenResponse");
    const variants = mapping(corrected, "OauthAccessTokenResponse");
    expect(variants.map(([value]) => value)).toContain("integration_refresh");
    expect((response.oneOf as { $ref: string }[]).map((member) => refName(member.$ref))).toEqual(
      variants.map(([, name]) => name),
    );
    expect(response).not.toHaveProperty("properties");
    expect(response).not.toHaveProperty("type");
  });

  it("each variant has its own response_type only, so the union narrows on it", () => {
    for (const [value, name] of mapping(corrected, "OauthAccessTokenResponse")) {
      expect(enumOf(corrected, name, "response_type"), name).toEqual([value]);
    }
  });

  it("every variant requires an access token and says when it expires", () => {
    for (const [, name] of mapping(corrected, "OauthAccessTokenResponse")) {
      const fields = properties(corrected, name);
      expect(fields.get("access_token")?.required, name).toBe(true);
      expect(fields.get("expires_in"), name).toMatchObject({ type: "integer", required: true });
    }
  });

  it("a refresh response requires the rotated refresh token and its expiry", () => {
    const refresh = properties(corrected, "OauthAccessTokenResponseRefresh");
    expect(refresh.get("refresh_token")).toMatchObject({ type: "string", required: true });
    expect(refresh.get("refresh_token_expires_in")).toMatchObject({ type: "integer", required: true });
  });
});

describe("the security schemes, corrected", () => {
  it("every OAuth flow with a token URL uses the v5 token endpoint", () => {
    const schemes = at(corrected, "components", "securitySchemes") as Record<string, Schema>;
    const tokenUrls = Object.values(schemes).flatMap((scheme) =>
      Object.values((scheme.flows ?? {}) as Record<string, { tokenUrl?: string }>).flatMap((flow) =>
        flow.tokenUrl ? [flow.tokenUrl] : [],
      ),
    );
    expect(tokenUrls.length).toBeGreaterThan(0);
    expect(new Set(tokenUrls)).toEqual(new Set(["https://api.pinterest.com/v5/oauth/token"]));
  });
});
