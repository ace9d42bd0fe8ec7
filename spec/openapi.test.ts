/**
 * Each quirk of Pinterest's description (pinterest-oauth-facts.md §5) is present in spec/upstream/openapi.yaml and
 * corrected in spec/openapi.yaml. Asserting both sides keeps the tests honest: if upstream fixed a quirk itself,
 * the "upstream" half fails and the overlay action that corrects it should go.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Doc, loadDocument } from "./scripts/lib/document.ts";
import { at, repo } from "./test/helpers.ts";

let upstream: Doc;
let corrected: Doc;
beforeAll(async () => {
  [upstream, corrected] = await Promise.all([loadDocument(repo.upstream), loadDocument(repo.openapi)]);
});

const schema = (doc: Doc, name: string) => at(doc, "components", "schemas", name) as Record<string, unknown>;
const refs = (names: string[]) => names.map((name) => ({ $ref: `#/components/schemas/${name}` }));
const requestVariants = {
  authorization_code: "OauthAccessTokenRequestCode",
  refresh_token: "OauthAccessTokenRequestRefresh",
  client_credentials: "OauthAccessTokenRequestClientCredentials",
};
const responseVariants = {
  authorization_code: "OauthAccessTokenResponseCode",
  refresh_token: "OauthAccessTokenResponseRefresh",
  client_credentials: "OauthAccessTokenResponseClientCredentials",
  integration_refresh: "OauthAccessTokenResponseIntegrationRefresh",
};
/** Where each variant declares its discriminator property (Refresh has its base fields only inside allOf[0]). */
const propertiesOf = (doc: Doc, name: string) =>
  (schema(doc, name).properties ?? at(schema(doc, name), "allOf", 0, "properties")) as Record<string, unknown>;

describe("quirk: discriminator without oneOf (requests)", () => {
  it("upstream's OauthAccessTokenRequest has a discriminator but no oneOf", () => {
    expect(schema(upstream, "OauthAccessTokenRequest").discriminator).toBeDefined();
    expect(schema(upstream, "OauthAccessTokenRequest").oneOf).toBeUndefined();
  });

  it("the corrected request is a oneOf of its three grant variants, keeping the discriminator", () => {
    const request = schema(corrected, "OauthAccessTokenRequest");
    expect(request.oneOf).toEqual(refs(Object.values(requestVariants)));
    expect(request.discriminator).toEqual({
      propertyName: "grant_type",
      mapping: Object.fromEntries(
        Object.entries(requestVariants).map(([key, name]) => [key, `#/components/schemas/${name}`]),
      ),
    });
    // A plain base object beside oneOf would let generators intersect it with every variant.
    expect(request).not.toHaveProperty("properties");
    expect(request).not.toHaveProperty("type");
    expect(request).not.toHaveProperty("required");
  });
});

describe("quirk: discriminator without oneOf (responses)", () => {
  it("upstream's OauthAccessTokenResponse has a discriminator but no oneOf", () => {
    expect(schema(upstream, "OauthAccessTokenResponse").discriminator).toBeDefined();
    expect(schema(upstream, "OauthAccessTokenResponse").oneOf).toBeUndefined();
  });

  it("the corrected response is a oneOf of its four variants, integration_refresh included", () => {
    const response = schema(corrected, "OauthAccessTokenResponse");
    expect(response.oneOf).toEqual(refs(Object.values(responseVariants)));
    expect(at(response, "discriminator", "propertyName")).toBe("response_type");
    expect(at(response, "discriminator", "mapping")).toEqual(
      Object.fromEntries(Object.entries(responseVariants).map(([key, name]) => [key, `#/components/schemas/${name}`])),
    );
    expect(response).not.toHaveProperty("properties");
    expect(response).not.toHaveProperty("type");
  });
});

describe("quirk: variant enums list every value", () => {
  it.each(Object.entries(requestVariants))("upstream's %s variant (%s) lists all three grant types", (_key, name) => {
    expect(at(propertiesOf(upstream, name), "grant_type", "enum")).toHaveLength(3);
  });

  it.each(Object.entries(requestVariants))(
    "the corrected %s variant (%s) allows only its own grant_type",
    (key, name) => {
      expect(at(propertiesOf(corrected, name), "grant_type", "enum")).toEqual([key]);
    },
  );

  it.each(Object.entries(responseVariants))(
    "the corrected %s variant (%s) has only its own response_type",
    (key, name) => {
      expect(at(propertiesOf(corrected, name), "response_type", "enum")).toEqual([key]);
    },
  );

  it("integration_refresh: upstream maps it but leaves it out of every response_type enum", () => {
    const mapping = at(schema(upstream, "OauthAccessTokenResponse"), "discriminator", "mapping") as object;
    expect(Object.keys(mapping)).toContain("integration_refresh");
    for (const name of ["OauthAccessTokenResponse", ...Object.values(responseVariants)]) {
      expect(at(propertiesOf(upstream, name), "response_type", "enum")).not.toContain("integration_refresh");
    }
  });
});

describe("quirk: continuous_refresh only in prose", () => {
  it("upstream mentions continuous_refresh in the description only", () => {
    expect(at(upstream, "paths", "/oauth/token", "post", "description")).toContain("continuous_refresh=true");
    expect(JSON.stringify(at(upstream, "components", "schemas"))).not.toContain("continuous_refresh");
  });

  it("the corrected code request declares an optional boolean continuous_refresh", () => {
    const fields = at(schema(corrected, "OauthAccessTokenRequestCode"), "allOf", 0) as Record<string, unknown>;
    expect(at(fields, "properties", "continuous_refresh", "type")).toBe("boolean");
    expect(fields.required).not.toContain("continuous_refresh");
    for (const other of ["OauthAccessTokenRequestRefresh", "OauthAccessTokenRequestClientCredentials"]) {
      expect(JSON.stringify(schema(corrected, other))).not.toContain("continuous_refresh");
    }
  });
});

describe("quirk: shared titles", () => {
  const titles = (doc: Doc) =>
    ["OauthAccessTokenResponse", ...Object.values(responseVariants)].map((name) => schema(doc, name).title);

  it("upstream gives four response schemas the same title", () => {
    expect(titles(upstream).filter((t) => t === "OAuth access token response")).toHaveLength(4);
  });

  it("every corrected OAuth schema has its own title", () => {
    const all = Object.entries(at(corrected, "components", "schemas") as Record<string, { title?: string }>)
      .filter(([name]) => name.startsWith("Oauth"))
      .map(([, s]) => s.title);
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain(undefined);
  });
});

describe("quirk: v3 token URL", () => {
  const tokenUrl = (doc: Doc) =>
    at(doc, "components", "securitySchemes", "client_credentials", "flows", "clientCredentials", "tokenUrl");

  it("upstream's client_credentials scheme points at a v3 URL", () => {
    expect(tokenUrl(upstream)).toBe("https://api.pinterest.com/v3/oauth/access_token/");
  });

  it("every corrected OAuth flow uses the v5 token endpoint", () => {
    expect(tokenUrl(corrected)).toBe("https://api.pinterest.com/v5/oauth/token");
    expect(
      at(corrected, "components", "securitySchemes", "pinterest_oauth2", "flows", "authorizationCode", "tokenUrl"),
    ).toBe("https://api.pinterest.com/v5/oauth/token");
  });
});
