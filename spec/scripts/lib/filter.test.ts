import { beforeAll, describe, expect, inject, it } from "vitest";
import { assumedFourthScheme, upstreamShape } from "../../test/fixtures/make-upstream.ts";
import { at, repo } from "../../test/helpers.ts";
import { type Doc, loadDocument } from "./document.ts";
import { type FilterSet, filterOperations, operationIds } from "./filter.ts";

let fixture: Doc;
let filterSet: FilterSet;
let ours: Doc;
beforeAll(async () => {
  [fixture, filterSet, ours] = await Promise.all([
    loadDocument(inject("upstreamJson")),
    loadDocument(repo.filter),
    loadDocument(repo.upstream),
  ]);
});

const schemaNames = (doc: Doc) => Object.keys(at(doc, "components", "schemas") as object);
const mappingOnly = [
  "OauthAccessTokenRequestCode",
  "OauthAccessTokenRequestRefresh",
  "OauthAccessTokenRequestClientCredentials",
  "OauthAccessTokenResponseCode",
  "OauthAccessTokenResponseRefresh",
  "OauthAccessTokenResponseClientCredentials",
  "OauthAccessTokenResponseIntegrationRefresh",
];

describe("filterOperations on the full upstream fixture", () => {
  it("the 7 OAuth variants are reachable only through discriminator.mapping in upstream", () => {
    const text = JSON.stringify(fixture);
    for (const name of mappingOnly) {
      expect(text).not.toContain(`"$ref":"#/components/schemas/${name}"`);
      expect(text).toContain(`"#/components/schemas/${name}"`);
    }
  });

  it("keeps the operations in filter.yaml and every schema they reach, mapping-only ones included", async () => {
    const kept = await filterOperations(fixture, filterSet);
    expect(operationIds(kept)).toEqual(["oauth/token", "token/revoke", "user_account/get"]);
    expect(schemaNames(kept)).toEqual(expect.arrayContaining(mappingOnly));
    expect(schemaNames(kept)).toEqual(schemaNames(ours));
    expect(Object.keys(at(kept, "components", "parameters") as object)).toEqual(["query_ad_account_id"]);
  });

  it("drops schemas, parameters, tags and security schemes only other operations use", async () => {
    const kept = await filterOperations(fixture, filterSet);
    expect(schemaNames(fixture)).toHaveLength(upstreamShape.schemas);
    for (const unrelated of ["ConversionAccessTokenResponse", "Paginated", "Campaign", "LegacyAdAccount"]) {
      expect(schemaNames(fixture)).toContain(unrelated);
      expect(schemaNames(kept)).not.toContain(unrelated);
    }
    expect((at(kept, "tags") as { name: string }[]).map((t) => t.name)).toEqual(["oauth", "user_account"]);
    expect(Object.keys(at(fixture, "components", "securitySchemes") as object)).toContain(assumedFourthScheme);
    expect(Object.keys(at(kept, "components", "securitySchemes") as object)).toEqual([
      "basic",
      "pinterest_oauth2",
      "client_credentials",
    ]);
  });

  it("keeps exactly the paths, components and top-level fields of our upstream subset", async () => {
    expect(await filterOperations(fixture, filterSet)).toEqual(ours);
  });

  it("with all, keeps every operation and drops only unreachable components", async () => {
    const kept = await filterOperations(fixture, filterSet, { all: true });
    expect(operationIds(kept)).toHaveLength(upstreamShape.operations);
    expect(Object.keys(at(kept, "paths") as object)).toHaveLength(upstreamShape.paths);
    const dropped = schemaNames(fixture).filter((name) => !schemaNames(kept).includes(name));
    expect(dropped.sort()).toEqual([
      "LegacyAd",
      "LegacyAdAccount",
      "LegacyAdGroup",
      "LegacyAudience",
      "LegacyCampaign",
    ]);
    expect(Object.keys(at(kept, "components", "securitySchemes") as object)).toHaveLength(4);
  });

  it("fails naming an operation upstream no longer has", async () => {
    const set = { ...filterSet, inverseOperationIds: ["oauth/token", "oauth/token_v6"] };
    await expect(filterOperations(fixture, set)).rejects.toThrow(
      'The upstream description has no operation "oauth/token_v6"',
    );
    await expect(filterOperations(fixture, set)).rejects.toThrow("update spec/filter.yaml");
  });
});

describe("filterOperations on a small document", () => {
  const doc = (): Doc => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/pets": {
        get: {
          operationId: "pets/list",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
            },
          },
        },
      },
      "/owners": {
        get: {
          operationId: "owners/list",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Owner" } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        // Pet reaches Cat only through its mapping, and Cat reaches Whiskers through a plain $ref.
        Pet: {
          type: "object",
          properties: { kind: { type: "string" } },
          discriminator: { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat" } },
        },
        Cat: { type: "object", properties: { whiskers: { $ref: "#/components/schemas/Whiskers" } } },
        Whiskers: { type: "object", additionalProperties: {} },
        Owner: { type: "object" },
        Unused: { type: "string" },
      },
    },
  });

  it("keeps schemas reached through a mapping, and what they reference in turn", async () => {
    const kept = await filterOperations(doc(), { inverseOperationIds: ["pets/list"], unusedComponents: ["schemas"] });
    expect(schemaNames(kept)).toEqual(["Pet", "Cat", "Whiskers"]);
  });

  it("keeps upstream's empty objects when the filter set says so (filter.yaml does)", async () => {
    const set = { inverseOperationIds: ["pets/list"], unusedComponents: ["schemas"], preserveEmptyObjects: true };
    const kept = await filterOperations(doc(), set);
    expect(at(kept, "components", "schemas", "Whiskers", "additionalProperties")).toEqual({});
    expect(filterSet.preserveEmptyObjects).toBe(true);
  });
});
