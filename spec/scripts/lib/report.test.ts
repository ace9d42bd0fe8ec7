import { describe, expect, it } from "vitest";
import { compareTypes } from "../../../packages/codegen/src/type-changes.ts";
import { diffFile, formatReport } from "./report.ts";
import type { SpecUpdateResult, UpdatedFile } from "./spec-update.ts";

const file = (before: string | undefined, after: string | undefined): UpdatedFile => ({
  path: "/repo/packages/core/src/generated/openapi.gen.ts",
  role: "generated",
  before,
  after,
  changed: before !== after,
});
const lines = (n: number, prefix = "line") => `${Array.from({ length: n }, (_, i) => `${prefix} ${i}`).join("\n")}\n`;

describe("diffFile", () => {
  it("prints a unified diff with file headers, hunks and exact counts", () => {
    const before = lines(20);
    const after = before.replace("line 10\n", "line 10\nline 10b\n").replace("line 3\n", "");
    const diff = diffFile(file(before, after), "/repo");
    expect(diff).toMatchObject({ added: 1, removed: 1, exact: true, omitted: 0 });
    expect(diff.lines.slice(0, 2)).toEqual([
      "--- a/packages/core/src/generated/openapi.gen.ts",
      "+++ b/packages/core/src/generated/openapi.gen.ts",
    ]);
    expect(diff.lines).toContain("-line 3");
    expect(diff.lines).toContain("+line 10b");
    expect(diff.lines.filter((l) => l.startsWith("@@"))).toHaveLength(2);
  });

  it("diffs a new file against /dev/null, and a removed one to it", () => {
    const created = diffFile(file(undefined, "a\nb\n"), "/repo");
    expect(created.lines[0]).toBe("--- /dev/null");
    expect(created).toMatchObject({ added: 2, removed: 0 });
    const removed = diffFile(file("a\n", undefined), "/repo");
    expect(removed.lines[1]).toBe("+++ /dev/null");
    expect(removed).toMatchObject({ added: 0, removed: 1 });
  });

  it("cuts a long diff at maxLines and counts what it left out", () => {
    const diff = diffFile(file(lines(300), lines(300, "changed")), "/repo", 50);
    expect(diff.lines).toHaveLength(52); // two file headers + 50 diff lines
    expect(diff.omitted).toBe(1 + 600 - 50); // one hunk header + 300 removed + 300 added, minus those shown
    expect(diff).toMatchObject({ added: 300, removed: 300, exact: true });
  });

  it("does not line-diff a huge change, but still counts it", () => {
    const diff = diffFile(file("one line\n", lines(20_000)), "/repo");
    expect(diff).toMatchObject({ added: 20_000, removed: 1, exact: false, omitted: 0 });
    expect(diff.lines.at(-1)).toBe("@@ about +20000 −1 lines: too large to show as a diff @@");
  });
});

describe("formatReport", () => {
  const result = (): SpecUpdateResult => ({
    root: "/repo",
    source: "/downloads/openapi.json",
    version: "5.23.0",
    sha256: "537bde5a50b181d653840bed4fb4735d753b5be4ce98bc8192de258cee67b142",
    previousVersion: "5.23.0",
    dryRun: false,
    written: false,
    kept: { operations: 231, totalOperations: 231, schemas: 681, totalSchemas: 727 },
    files: [],
    changes: compareTypes(undefined, undefined),
    overlay: [
      { number: 1, description: "request-oneOf: make it a oneOf", target: "$.a", outcome: "applied" },
      { number: 2, description: "titles: already distinct", target: "$.b", outcome: "satisfied" },
    ],
  });

  it("lists every overlay action with what it did", () => {
    const report = formatReport(result());
    expect(report).toContain(
      [
        "Overlay: 1 of 2 correction(s) applied, 1 already satisfied by the release (no-ops):",
        "  applied    #1   request-oneOf: make it a oneOf",
        "  satisfied  #2   titles: already distinct",
      ].join("\n"),
    );
  });
});
