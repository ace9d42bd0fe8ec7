import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, loadRelease, objectAt, removeTemporaryDirs } from "../test/release.ts";
import type { Doc } from "./document.ts";
import { filterOperations } from "./filter.ts";
import { compareTypes, formatTypeChanges, hasTypeChanges } from "./type-changes.ts";
import { generateTypes } from "./types.ts";

/** A small description, through openapi-typescript: the comparer reads its real output. */
const spec = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}): Doc => ({
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths,
  components: { schemas, parameters: { query_limit: { name: "limit", in: "query", schema: { type: "integer" } } } },
});
const typesOf = (doc: Doc) => generateTypes(doc);

const shape = (type: string, required: boolean, readOnly = false) => ({ type, required, readOnly });

const account: { type: string; properties: Record<string, Record<string, unknown>>; required: string[] } = {
  type: "object",
  properties: {
    id: { type: "string", description: "The id." },
    kind: { type: "string", enum: ["PINNER", "BUSINESS"] },
    count: { type: "integer", nullable: true },
    owner: { type: "object", properties: { name: { type: "string" } } },
  },
  required: ["id"],
};

const listPath = (query: Record<string, unknown>[], item = "#/components/schemas/Account") => ({
  "/accounts": {
    get: {
      operationId: "accounts/list",
      parameters: query,
      responses: {
        "200": {
          description: "ok",
          content: {
            "application/json": {
              schema: { type: "object", properties: { items: { type: "array", items: { $ref: item } } } },
            },
          },
        },
      },
    },
  },
});

afterAll(removeTemporaryDirs);

describe("compareTypes on openapi-typescript's output", () => {
  it("finds nothing between identical types, and nothing when only documentation changed", async () => {
    const before = await typesOf(spec({ Account: account }));
    const documented = structuredClone(account);
    objectAt(documented, "properties", "id").description = "Another description.";
    const changes = compareTypes(before, await typesOf(spec({ Account: documented })));
    expect(hasTypeChanges(changes)).toBe(false);
    expect(formatTypeChanges(changes)).toEqual([]);
  });

  it("names added, removed and retyped members, requiredness, nullability and inline members by path", async () => {
    const after = structuredClone(account);
    after.properties.is_partner = { type: "boolean", readOnly: true };
    after.properties.kind = { type: "string", enum: ["PINNER", "BUSINESS", "CREATOR"] };
    after.properties.owner = { type: "object", properties: { name: { type: "string", nullable: true } } };
    delete after.properties.count;
    after.required = [];
    const changes = compareTypes(await typesOf(spec({ Account: account })), await typesOf(spec({ Account: after })));
    expect(changes.schemasChanged).toEqual([
      {
        schema: "Account",
        added: [{ name: "is_partner", ...shape("boolean", false, true) }],
        removed: [{ name: "count", ...shape("number | null", false) }],
        changed: [
          { name: "id", before: shape("string", true), after: shape("string", false) },
          {
            name: "kind",
            before: shape('"PINNER" | "BUSINESS"', false),
            after: shape('"PINNER" | "BUSINESS" | "CREATOR"', false),
          },
          { name: "owner.name", before: shape("string", false), after: shape("string | null", false) },
        ],
      },
    ]);
    expect(formatTypeChanges(changes)).toEqual([
      "Schemas changed (1):",
      "  Account",
      "    + readonly is_partner?: boolean",
      "    - count?: number | null",
      "    ~ id: required → optional",
      '    ~ kind: "PINNER" | "BUSINESS" → "PINNER" | "BUSINESS" | "CREATOR"',
      "    ~ owner.name: string → string | null",
    ]);
  });

  it("names operations and components added or removed, and what changed in an operation", async () => {
    const limit = { $ref: "#/components/parameters/query_limit" };
    const bookmark = { name: "bookmark", in: "query", schema: { type: "string" } };
    const before = await typesOf(spec({ Account: account, Old: { type: "string" } }, listPath([limit])));
    const after = await typesOf(
      spec(
        { Account: account, New: { type: "integer" } },
        {
          ...listPath([limit, bookmark]),
          "/ping": { post: { operationId: "ping", responses: { "204": { description: "pong" } } } },
        },
      ),
    );
    const changes = compareTypes(before, after);
    expect(changes.operationsAdded).toEqual([{ method: "POST", path: "/ping", operationId: "ping" }]);
    expect(changes.operationsRemoved).toEqual([]);
    expect(changes.operationsChanged).toEqual([
      {
        operation: { method: "GET", path: "/accounts", operationId: "accounts/list" },
        details: ["+ parameters.query.bookmark?: string"],
      },
    ]);
    expect(changes.schemasAdded).toEqual(["New"]);
    expect(changes.schemasRemoved).toEqual(["Old"]);
    expect(compareTypes(after, before).operationsRemoved).toEqual([
      { method: "POST", path: "/ping", operationId: "ping" },
    ]);
  });

  it("sees everything as added when there were no types before", async () => {
    const changes = compareTypes(undefined, await typesOf(spec({ Account: account }, listPath([]))));
    expect(changes.operationsAdded).toEqual([{ method: "GET", path: "/accounts", operationId: "accounts/list" }]);
    expect(changes.schemasAdded).toContain("Account");
  });
});

describe("compareTypes on Pinterest's release and a changed copy", () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    const { doc } = await loadRelease();
    before = await generateTypes(filterOperations(doc));
    const changed = structuredClone(doc);
    const board = objectAt(changed, "components", "schemas", "BoardBase", "properties");
    board.archived_reason = { type: "string", description: "Why." };
    objectAt(board, "name").nullable = true;
    delete board.description;
    const privacy = objectAt(changed, "components", "schemas", "BoardPrivacy");
    privacy.enum = [...(privacy.enum as string[]), "UNLISTED"];
    delete objectAt(changed, "paths", "/boards").get;
    after = await generateTypes(filterOperations(changed));
  });

  it("reports exactly what the copy changed", () => {
    const changes = compareTypes(before, after);
    expect(changes.operationsAdded).toEqual([]);
    expect(changes.operationsRemoved).toEqual([{ method: "GET", path: "/boards", operationId: "boards/list" }]);
    const board = changes.schemasChanged.find((change) => change.schema === "BoardBase");
    expect(board?.added.map((m) => m.name)).toEqual(["archived_reason"]);
    expect(board?.removed.map((m) => m.name)).toEqual(["description"]);
    expect(board?.changed.map((m) => [m.name, m.after.type])).toEqual([["name", expect.stringMatching(/\| null$/)]]);
    const privacy = changes.schemasChanged.find((change) => change.schema === "BoardPrivacy");
    expect(privacy?.shape?.after).toContain('"UNLISTED"');
    expect(privacy?.shape?.before).not.toContain('"UNLISTED"');
    expect(at(changes, "schemasAdded")).toEqual([]);
  });

  it("reports nothing between the release and itself", () => {
    expect(hasTypeChanges(compareTypes(before, before))).toBe(false);
  });
});
