import { describe, expect, it } from "vitest";
import { diffFile } from "./report.ts";
import type { UpdatedFile } from "./spec-update.ts";

const file = (before: string | undefined, after: string): UpdatedFile => ({
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

  it("diffs a new file against /dev/null", () => {
    const diff = diffFile(file(undefined, "a\nb\n"), "/repo");
    expect(diff.lines[0]).toBe("--- /dev/null");
    expect(diff).toMatchObject({ added: 2, removed: 0 });
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
