import { beforeAll, describe, expect, it } from "vitest";
import { at, loadRelease } from "../test/release.ts";
import type { Doc } from "./document.ts";
import { filterOperations, operationIds } from "./filter.ts";

/** The operations @pintoken/core's OAuth client calls: a selection as a user would pass with --operations. */
const selection = ["oauth/token", "token/revoke", "user_account/get"];
let release: Doc;
beforeAll(async () => {
  release = (await loadRelease()).doc;
});

const schemaNames = (doc: Doc) => Object.keys((at(doc, "components", "schemas") ?? {}) as object);
/** The schemas a discriminator mapping names that no `$ref` anywhere in the document names. */
function mappingOnly(doc: Doc): string[] {
  const text = JSON.stringify(doc);
  const mapped = new Set<string>();
  for (const schema of Object.values(
    at(doc, "components", "schemas") as Record<string, { discriminator?: { mapping?: Record<string, string> } }>,
  )) {
    for (const ref of Object.values(schema.discriminator?.mapping ?? {})) mapped.add(ref);
  }
  return [...mapped]
    .filter((ref) => !text.includes(`"$ref":"${ref}"`))
    .map((ref) => ref.replace("#/components/schemas/", ""));
}

describe("filterOperations on Pinterest's release", () => {
  it("keeps the operations asked for, in Pinterest's order", () => {
    const kept = filterOperations(release, selection);
    const order = operationIds(release).filter((id) => selection.includes(id));
    expect(operationIds(kept)).toEqual(order);
    expect(new Set(order)).toEqual(new Set(selection));
  });

  it("keeps the schemas reachable only through a discriminator mapping (the token variants)", () => {
    const kept = filterOperations(release, selection);
    const variants = mappingOnly(release).filter((name) => name.startsWith("OauthAccessToken"));
    expect(variants.length).toBeGreaterThan(0);
    expect(schemaNames(kept)).toEqual(expect.arrayContaining(variants));
  });

  it("drops schemas, tags, tag groups and security schemes only other operations use, keeping Pinterest's order", () => {
    const kept = filterOperations(release, selection);
    expect(schemaNames(kept).length).toBeLessThan(schemaNames(release).length);
    expect(schemaNames(kept)).toEqual(schemaNames(release).filter((name) => schemaNames(kept).includes(name)));
    const usedTags = new Set(
      Object.values(at(kept, "paths") as Record<string, Record<string, { tags?: string[] }>>).flatMap((item) =>
        Object.values(item).flatMap((op) => op.tags ?? []),
      ),
    );
    expect((at(kept, "tags") as { name: string }[]).map((t) => t.name).sort()).toEqual([...usedTags].sort());
    for (const group of (at(kept, "x-tagGroups") ?? []) as { tags: string[] }[]) {
      expect(group.tags.length).toBeGreaterThan(0);
      for (const tag of group.tags) expect(usedTags).toContain(tag);
    }
    const schemes = Object.keys(at(kept, "components", "securitySchemes") as object);
    expect(schemes.length).toBeLessThan(Object.keys(at(release, "components", "securitySchemes") as object).length);
  });

  it("keeps the rest of the document as Pinterest wrote it: the same objects, in the same order", () => {
    const kept = filterOperations(release, selection);
    expect(Object.keys(kept)).toEqual(Object.keys(release));
    expect(kept.info).toBe(release.info);
    expect(at(kept, "components", "schemas", "Account")).toBe(at(release, "components", "schemas", "Account"));
  });

  it("without a selection, keeps every operation and drops only unreachable components", () => {
    const kept = filterOperations(release);
    expect(operationIds(kept)).toEqual(operationIds(release));
    expect(Object.keys(at(kept, "paths") as object)).toEqual(Object.keys(at(release, "paths") as object));
    const dropped = schemaNames(release).filter((name) => !schemaNames(kept).includes(name));
    const text = JSON.stringify(kept);
    for (const name of dropped) expect(text).not.toContain(`"#/components/schemas/${name}"`);
  });

  it("does not change the document it is given", () => {
    const before = JSON.stringify(release);
    filterOperations(release, selection);
    filterOperations(release);
    expect(JSON.stringify(release)).toBe(before);
  });

  it("fails naming an operation the release does not have", () => {
    expect(() => filterOperations(release, ["oauth/token", "oauth/token_v6"])).toThrow(
      'The description has no operation "oauth/token_v6"',
    );
  });
});

describe("filterOperations on a small document", () => {
  const doc = (): Doc => ({
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: {
      "/pets": {
        parameters: [{ $ref: "#/components/parameters/Limit" }],
        get: {
          operationId: "pets/list",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } },
            },
          },
        },
        post: { operationId: "pets/create", responses: { "201": { description: "created" } } },
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
      parameters: { Limit: { name: "limit", in: "query", schema: { type: "integer" } } },
      schemas: {
        // Pet reaches Cat only through its mapping, Dog through a bare name, and Cat reaches Whiskers by $ref.
        Pet: {
          type: "object",
          properties: { kind: { type: "string" } },
          discriminator: { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat", dog: "Dog" } },
        },
        Cat: { type: "object", properties: { whiskers: { $ref: "#/components/schemas/Whiskers" } } },
        Dog: { type: "object" },
        Whiskers: { type: "object", additionalProperties: {} },
        Owner: { type: "object" },
        // Unreachable, though they name each other.
        Loop1: { $ref: "#/components/schemas/Loop2" },
        Loop2: { $ref: "#/components/schemas/Loop1" },
      },
    },
  });

  it("keeps what the kept operations reach through $refs and mappings (bare names too), and nothing else", () => {
    const kept = filterOperations(doc(), ["pets/list"]);
    expect(schemaNames(kept)).toEqual(["Pet", "Cat", "Dog", "Whiskers"]);
    expect(Object.keys(at(kept, "paths", "/pets") as object)).toEqual(["parameters", "get"]);
    expect(at(kept, "paths", "/owners")).toBeUndefined();
    expect(Object.keys(at(kept, "components", "parameters") as object)).toEqual(["Limit"]);
    expect(at(kept, "components", "schemas", "Whiskers", "additionalProperties")).toEqual({});
  });

  it("without a selection, drops unreachable components even when they name each other", () => {
    expect(schemaNames(filterOperations(doc()))).toEqual(["Pet", "Cat", "Dog", "Whiskers", "Owner"]);
  });
});
