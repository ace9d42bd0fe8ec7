import { describe, expect, it } from "vitest";
import type { Doc } from "./document.ts";
import { compareSpecs, formatTypeChanges, hasTypeChanges, typeText } from "./type-changes.ts";

const spec = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}): Doc => ({
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths,
  components: { schemas, parameters: { query_limit: { name: "limit", in: "query", schema: { type: "integer" } } } },
});

const shape = (type: string, required: boolean, readOnly = false) => ({ type, required, readOnly });

const account = {
  type: "object",
  properties: {
    id: { type: "string" },
    kind: { type: "string", enum: ["PINNER", "BUSINESS"] },
    count: { type: "integer", nullable: true },
  },
  required: ["id"],
};

describe("typeText", () => {
  it.each([
    [{ type: "string" }, "string"],
    [{ type: "integer", nullable: true }, "integer | null"],
    [{ type: "string", enum: ["A", "B"] }, '"A" | "B"'],
    [{ $ref: "#/components/schemas/Account" }, "Account"],
    [{ type: "array", items: { type: "string", enum: ["x", "y"] } }, '("x" | "y")[]'],
    [{ oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] }, "A | B"],
    [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, "{ a: string }"],
    [{ type: "object", additionalProperties: { type: "number" } }, "{ [key: string]: number }"],
    [{ type: "object" }, "object"],
  ])("%j → %s", (schema, text) => {
    expect(typeText(schema)).toBe(text);
  });
});

describe("compareSpecs", () => {
  it("finds nothing between identical documents", () => {
    const changes = compareSpecs(spec({ Account: account }), spec({ Account: account }));
    expect(hasTypeChanges(changes)).toBe(false);
    expect(formatTypeChanges(changes)).toEqual([]);
  });

  it("names added, removed and retyped properties, and requiredness changes", () => {
    const after = structuredClone(account) as typeof account & { properties: Record<string, unknown> };
    after.properties.is_partner = { type: "boolean" };
    after.properties.kind = { type: "string", enum: ["PINNER", "BUSINESS", "CREATOR"] };
    delete (after.properties as Record<string, unknown>).count;
    after.required = [];
    expect(compareSpecs(spec({ Account: account }), spec({ Account: after })).schemasChanged).toEqual([
      {
        schema: "Account",
        added: [{ name: "is_partner", type: "boolean", required: false, readOnly: false }],
        removed: [{ name: "count", type: "integer | null", required: false, readOnly: false }],
        changed: [
          { name: "id", before: shape("string", true), after: shape("string", false) },
          {
            name: "kind",
            before: shape('"PINNER" | "BUSINESS"', false),
            after: shape('"PINNER" | "BUSINESS" | "CREATOR"', false),
          },
        ],
      },
    ]);
  });

  it("reads properties from allOf members and $ref'd parents, and reports a schema's own shape", () => {
    const before = spec({
      Base: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
      Child: {
        allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { b: { type: "integer" } } }],
      },
      Union: { type: "object", properties: { kind: { type: "string" } } },
    });
    const after = structuredClone(before);
    const schemas = (after.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    (schemas.Base as { required: string[] }).required = [];
    schemas.Union = { oneOf: [{ $ref: "#/components/schemas/Base" }, { $ref: "#/components/schemas/Child" }] };
    const changes = compareSpecs(before, after);
    expect(changes.schemasChanged.map((c) => c.schema)).toEqual(["Base", "Child", "Union"]);
    expect(changes.schemasChanged[1]?.changed).toEqual([
      { name: "a", before: shape("string", true), after: shape("string", false) },
    ]);
    expect(changes.schemasChanged[2]?.shape).toEqual({ before: "object", after: "oneOf: Base | Child" });
    expect(changes.schemasChanged[2]?.removed).toEqual([{ name: "kind", ...shape("string", false) }]);
  });

  it("names a property becoming readonly, nullable, or gaining an enum value, each on its own line", () => {
    const before = spec({
      Account: {
        type: "object",
        properties: {
          count: { type: "integer" },
          name: { type: "string" },
          kind: { type: "string", enum: ["A"] },
        },
      },
    });
    const after = spec({
      Account: {
        type: "object",
        properties: {
          count: { type: "integer", readOnly: true },
          name: { type: "string", nullable: true },
          kind: { type: "string", enum: ["A", "B"] },
        },
      },
    });
    const changes = compareSpecs(before, after);
    expect(changes.schemasChanged[0]?.changed).toEqual([
      { name: "count", before: shape("integer", false), after: shape("integer", false, true) },
      { name: "name", before: shape("string", false), after: shape("string | null", false) },
      { name: "kind", before: shape('"A"', false), after: shape('"A" | "B"', false) },
    ]);
    expect(formatTypeChanges(changes)).toEqual([
      "Schemas changed (1):",
      "  Account",
      "    ~ count: writable → readonly",
      "    ~ name: string → string | null",
      '    ~ kind: "A" → "A" | "B"',
    ]);
    expect(formatTypeChanges(compareSpecs(after, before))).toContain("    ~ count: readonly → writable");
  });

  it("counts a property with a default as required, as openapi-typescript generates it", () => {
    const withDefault = spec({
      T: { type: "object", properties: { token_type: { type: "string", default: "bearer" } } },
    });
    const without = spec({ T: { type: "object", properties: { token_type: { type: "string" } } } });
    expect(compareSpecs(without, withDefault).schemasChanged[0]?.changed).toEqual([
      { name: "token_type", before: shape("string", false), after: shape("string", true) },
    ]);
  });

  it("ignores a nullable beside a $ref, as openapi-typescript and OpenAPI 3.0 do", () => {
    const plain = spec({ T: { type: "object", properties: { a: { $ref: "#/components/schemas/U" } } }, U: {} });
    const nullable = spec({
      T: { type: "object", properties: { a: { $ref: "#/components/schemas/U", nullable: true } } },
      U: {},
    });
    expect(hasTypeChanges(compareSpecs(plain, nullable))).toBe(false);
  });

  it("names changes inside inline objects and arrays of them by path", () => {
    const inline = (item: Record<string, unknown>) =>
      spec({
        Page: {
          type: "object",
          properties: {
            items: { type: "array", items: { type: "object", properties: item } },
            meta: { type: "object", properties: { total: { type: "integer" } }, required: ["total"] },
          },
        },
      });
    const changes = compareSpecs(
      inline({ id: { type: "string" } }),
      inline({ id: { type: "string", readOnly: true }, x: {} }),
    );
    expect(changes.schemasChanged).toEqual([
      {
        schema: "Page",
        added: [{ name: "items[].x", ...shape("unknown", false) }],
        removed: [],
        changed: [{ name: "items[].id", before: shape("string", false), after: shape("string", false, true) }],
      },
    ]);
  });

  it("names changes inside an operation's inline response body", () => {
    const op = (items: Record<string, unknown>) => ({
      "/things": {
        get: {
          operationId: "things/list",
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { items: { type: "array", items: { type: "object", properties: items } } },
                  },
                },
              },
            },
          },
        },
      },
    });
    const changes = compareSpecs(
      spec({}, op({ kind: { type: "string", nullable: true } })),
      spec({}, op({ kind: { allOf: [{ $ref: "#/components/schemas/Kind" }], nullable: true } })),
    );
    expect(changes.operationsChanged).toEqual([
      {
        operation: { method: "GET", path: "/things", operationId: "things/list" },
        details: ["~ response 200 application/json: items[].kind: optional string | null → optional Kind | null"],
      },
    ]);
  });

  it("names operations and schemas added and removed, and operations whose parameters or responses changed", () => {
    const op = (schema: string, parameters: unknown[] = []) => ({
      get: {
        operationId: "things/list",
        parameters,
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
          },
        },
      },
    });
    const before = spec(
      { Account: account, Old: { type: "string" } },
      { "/things": op("Account"), "/gone": op("Old") },
    );
    const after = spec(
      { Account: account, New: { type: "string" } },
      { "/things": op("New", [{ $ref: "#/components/parameters/query_limit" }]), "/new": op("New") },
    );
    const changes = compareSpecs(before, after);
    expect(changes.operationsAdded).toEqual([{ method: "GET", path: "/new", operationId: "things/list" }]);
    expect(changes.operationsRemoved).toEqual([{ method: "GET", path: "/gone", operationId: "things/list" }]);
    expect(changes.operationsChanged).toEqual([
      {
        operation: { method: "GET", path: "/things", operationId: "things/list" },
        details: [
          "+ parameter limit (query): optional integer",
          "~ response 200: application/json Account → application/json New",
        ],
      },
    ]);
    expect(changes.schemasAdded).toEqual(["New"]);
    expect(changes.schemasRemoved).toEqual(["Old"]);
  });

  it("treats a missing previous document as everything added", () => {
    const changes = compareSpecs(undefined, spec({ Account: account }));
    expect(changes.schemasAdded).toEqual(["Account"]);
  });
});

describe("formatTypeChanges", () => {
  it("prints one readable line per change", () => {
    const after = structuredClone(account) as typeof account & { properties: Record<string, unknown> };
    after.properties.is_partner = { type: "boolean" };
    after.required = [];
    const lines = formatTypeChanges(compareSpecs(spec({ Account: account }), spec({ Account: after, Extra: {} })));

    expect(lines).toEqual([
      "Schemas added (1):",
      "  + Extra",
      "Schemas changed (1):",
      "  Account",
      "    + is_partner?: boolean",
      "    ~ id: required → optional",
    ]);
  });

  it("cuts long lists and says how many were left out", () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`S${i}`, { type: "string" }]));
    const lines = formatTypeChanges(compareSpecs(spec({}), spec(many)), { limit: 10 });
    expect(lines[0]).toBe("Schemas added (50):");
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("  … and 40 more");
  });
});
