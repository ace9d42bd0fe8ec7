/** `pnpm spec:update <file> --all`: every operation kept, and the regenerated packages still type-check. */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { upstreamShape } from "../test/fixtures/make-upstream.ts";
import { at, removeTemporaryDirs, temporaryRepo } from "../test/helpers.ts";
import { typeCheckGenerated } from "../test/type-probe.ts";
import { loadDocument } from "./lib/document.ts";
import { operationIds } from "./lib/filter.ts";
import { layout } from "./lib/paths.ts";
import { formatReport } from "./lib/report.ts";
import { type SpecUpdateResult, specUpdate } from "./lib/spec-update.ts";

afterAll(removeTemporaryDirs);

describe("spec:update --all on the full upstream fixture", () => {
  let root: string;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    root = await temporaryRepo();
    result = await specUpdate({ source: inject("upstreamJson"), root, all: true });
  });

  it("keeps every operation, and every component something reaches", async () => {
    const [upstream, corrected] = await Promise.all([
      loadDocument(layout(root).upstream),
      loadDocument(layout(root).openapi),
    ]);
    expect(operationIds(upstream)).toHaveLength(upstreamShape.operations);
    expect(operationIds(corrected)).toHaveLength(upstreamShape.operations);
    expect(Object.keys(at(corrected, "components", "schemas") as object)).toHaveLength(upstreamShape.schemas - 5);
    expect(Object.keys(at(corrected, "components", "parameters") as object)).toHaveLength(upstreamShape.parameters);
    expect(Object.keys(at(corrected, "components", "securitySchemes") as object)).toHaveLength(4);
    expect(result.kept).toEqual({ operations: 231, totalOperations: 231, schemas: 722, totalSchemas: 727 });
    expect(await readFile(layout(root).upstream, "utf8")).toContain("with every operation (`pnpm spec:update --all`)");
  });

  it("still corrects the quirks (the overlay applies to the whole description)", async () => {
    const corrected = await loadDocument(layout(root).openapi);
    expect(at(corrected, "components", "schemas", "OauthAccessTokenRequest", "oneOf")).toHaveLength(3);
    expect(
      at(corrected, "components", "securitySchemes", "client_credentials", "flows", "clientCredentials", "tokenUrl"),
    ).toBe("https://api.pinterest.com/v5/oauth/token");
  });

  it("reports the added operations and schemas, with large diffs summarized instead of printed", () => {
    expect(result.changes.operationsAdded).toHaveLength(upstreamShape.operations - 3);
    expect(result.changes.schemasAdded).toHaveLength(722 - 12);
    expect(result.changes.schemasRemoved).toEqual([]);
    const report = formatReport(result);
    expect(report).toContain(`Operations added (${upstreamShape.operations - 3}):`);
    expect(report).toContain("    + GET /ad_accounts (ad_accounts/list)\n");
    expect(report).toMatch(/… and \d+ more/);
    expect(report).toMatch(/updated {4}packages\/core\/src\/generated\/openapi\.gen\.ts +about \+\d+ −\d+/);
    expect(report).toMatch(/too large to show as a diff/);
    expect(report.length).toBeLessThan(40_000);
  });

  it("regenerates packages whose types still compile: the build still passes", async () => {
    const boards = `
type BoardPage = paths["/boards"]["get"]["responses"]["200"]["content"]["application/json"];
export const boardIds = (page: BoardPage): (string | undefined)[] => page.items.map((board) => board.id);
export const nextPage = (page: BoardPage): string | null => page.bookmark;
type BoardQuery = NonNullable<paths["/boards"]["get"]["parameters"]["query"]>;
export const query: BoardQuery = { page_size: 25, board_ids: ["1"] };
// @ts-expect-error: page_size is a number
export const badQuery: BoardQuery = { page_size: "25" };
`;
    await expect(typeCheckGenerated(root, boards)).resolves.toBe("");
  });
});
