/**
 * `pnpm spec:update` on Pinterest's real release, with and without `--all`, in a copy of the whole workspace: after
 * each, the published packages build and every package generated code reaches type-checks (core, mock with its
 * operation handling, the quickstart, the bench, …).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, loadRelease, releasePath, removeTemporaryDirs, temporaryWorkspace } from "../test/helpers.ts";
import { buildAndTypecheck } from "../test/workspace-check.ts";
import { loadDocument } from "./lib/document.ts";
import { operationIds } from "./lib/filter.ts";
import { layout } from "./lib/paths.ts";
import { formatReport } from "./lib/report.ts";
import { type SpecUpdateResult, specUpdate } from "./lib/spec-update.ts";

afterAll(removeTemporaryDirs);

/** Building and type-checking every package twice takes minutes on a busy two-core machine. */
const slow = 600_000;

describe("spec:update on the real release in a workspace copy", () => {
  let root: string;
  let release: Awaited<ReturnType<typeof loadRelease>>;
  beforeAll(async () => {
    [root, release] = await Promise.all([temporaryWorkspace(), loadRelease()]);
  }, slow);

  it(
    "without --all, changes nothing, and every package still builds and type-checks",
    async () => {
      const result = await specUpdate({ source: await releasePath(root), root });
      expect(result.files.filter((f) => f.changed).map((f) => f.path)).toEqual([]);
      const runs = await buildAndTypecheck(root);
      expect(runs.map((r) => `${r.package} ${r.script}`)).toEqual(
        expect.arrayContaining(["@pintoken/core build", "@pintoken/mock typecheck", "@pintoken/quickstart typecheck"]),
      );
    },
    slow,
  );

  describe("with --all", () => {
    let result: SpecUpdateResult;
    beforeAll(async () => {
      result = await specUpdate({ source: release.path, root, all: true });
    }, slow);

    it("keeps every operation of the release, and only the components something reaches", async () => {
      const corrected = await loadDocument(layout(root).openapi);
      expect(operationIds(corrected)).toEqual(operationIds(release.doc));
      expect(result.kept.operations).toBe(result.kept.totalOperations);
      expect(result.kept.schemas).toBeLessThanOrEqual(result.kept.totalSchemas);
      expect(Object.keys(at(corrected, "components", "schemas") as object)).toHaveLength(result.kept.schemas);
      // The overlay still applies to the whole description.
      expect(at(corrected, "components", "schemas", "OauthAccessTokenRequest", "oneOf")).toHaveLength(3);
    });

    it("counts every lint warning, past the 100 that `redocly lint` lists", () => {
      expect(result.lint.errors).toEqual([]);
      expect(result.lint.warnings.length).toBeGreaterThan(100);
      expect(formatReport(result)).toContain(`0 error(s), ${result.lint.warnings.length} warning(s).`);
    });

    it("reports the added operations and schemas, with large diffs summarized instead of printed", () => {
      const added = result.kept.operations - 3;
      expect(result.changes.operationsAdded).toHaveLength(added);
      expect(result.changes.schemasRemoved).toEqual([]);
      const report = formatReport(result);
      expect(report).toContain(`Operations added (${added}):`);
      expect(report).toMatch(/updated {4}packages\/core\/src\/generated\/openapi\.gen\.ts +about \+\d+ −\d+/);
      expect(report).toMatch(/too large to show as a diff/);
      expect(report.length).toBeLessThan(60_000);
    });

    it(
      "leaves every package building and type-checking",
      async () => {
        const runs = await buildAndTypecheck(root);
        expect(runs.filter((r) => r.script === "typecheck").length).toBeGreaterThanOrEqual(4);
      },
      slow,
    );
  });
});
