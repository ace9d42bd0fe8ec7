import { relative } from "node:path";
import { structuredPatch } from "diff";
import { changeLines, overlayLines, releaseLine } from "../../../packages/codegen/src/report.ts";
import type { SpecUpdateResult, UpdatedFile } from "./spec-update.ts";

/** A unified diff of one file, cut to `maxLines` lines, and how many lines it adds and removes. */
export interface FileDiff {
  added: number;
  removed: number;
  /** False when the change was too large to diff line by line (then `added`/`removed` are estimates). */
  exact: boolean;
  lines: string[];
  /** Diff lines left out to respect `maxLines`. */
  omitted: number;
}

const linesOf = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** Lines only in `after` / only in `before`, counted as multisets: cheap, and a floor for a real diff's counts. */
function estimate(before: string, after: string) {
  const counts = new Map<string, number>();
  for (const line of linesOf(before)) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of linesOf(after)) {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of counts.values()) removed += n;
  return { added, removed };
}

/** Changes larger than this many lines are not diffed line by line (Myers' diff is quadratic in the edit size). */
const maxEditLines = 4_000;

/** A unified diff (`--- a/…`, `+++ b/…`, `@@` hunks with 3 lines of context) of one file's change. */
export function diffFile(file: UpdatedFile, root: string, maxLines = 200): FileDiff {
  const name = relative(root, file.path);
  const before = file.before ?? "";
  const after = file.after ?? "";
  const rough = estimate(before, after);
  const header = [
    file.before === undefined ? "--- /dev/null" : `--- a/${name}`,
    file.after === undefined ? "+++ /dev/null" : `+++ b/${name}`,
  ];
  const patch =
    rough.added + rough.removed > maxEditLines
      ? undefined
      : structuredPatch(name, name, before, after, undefined, undefined, {
          context: 3,
          maxEditLength: maxEditLines,
          timeout: 5_000,
        });
  if (!patch) {
    return {
      ...rough,
      exact: false,
      lines: [...header, `@@ about +${rough.added} −${rough.removed} lines: too large to show as a diff @@`],
      omitted: 0,
    };
  }
  const body: string[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    body.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
      body.push(line);
    }
  }
  const kept = body.slice(0, maxLines);
  return { added, removed, exact: true, lines: [...header, ...kept], omitted: body.length - kept.length };
}

const roleOrder = { release: 0, spec: 1, generated: 2 } as const;

/**
 * What `pnpm spec:update` prints: the source and what was kept, what the overlay did (as `npx @pintoken/codegen`
 * prints it), every file with its line counts, what changed in the generated types, then a unified
 * diff of each changed generated file.
 */
export function formatReport(result: SpecUpdateResult, { diffLines = 200 } = {}): string {
  const { root } = result;
  const out: string[] = [];
  out.push(releaseLine(result, result.previousVersion));
  out.push("", ...overlayLines(result));

  const files = [...result.files]
    .filter((f) => f.before !== undefined || f.after !== undefined)
    .sort((a, b) => roleOrder[a.role] - roleOrder[b.role]);
  const diffs = new Map(files.filter((f) => f.changed).map((f) => [f, diffFile(f, root, diffLines)]));
  const width = Math.max(...files.map((f) => relative(root, f.path).length));
  out.push("", result.dryRun ? "Files (dry run, nothing written):" : "Files:");
  for (const file of files) {
    const diff = diffs.get(file);
    const state = !diff
      ? "unchanged"
      : file.before === undefined
        ? "created"
        : file.after === undefined
          ? "removed"
          : "updated";
    const counts = diff ? `  ${diff.exact ? "" : "about "}+${diff.added} −${diff.removed}` : "";
    out.push(`  ${state.padEnd(9)}  ${relative(root, file.path).padEnd(width)}${counts}`.trimEnd());
  }

  out.push("", ...changeLines(result.changes));

  for (const [file, diff] of diffs) {
    if (file.role === "release") continue;
    out.push("", ...diff.lines);
    if (diff.omitted > 0) {
      out.push(
        `… ${diff.omitted} more diff line(s) of ${relative(root, file.path)} not shown` +
          `${result.written ? `: run \`git diff -- ${relative(root, file.path)}\` to see them all.` : "."}`,
      );
    }
  }
  if (result.written && files.some((f) => f.changed)) {
    out.push(
      "",
      "Next: review the changes, run `pnpm test` (its lint step lints spec/openapi.yaml with Redocly), and commit spec/",
      "with packages/*/src/generated.",
    );
    if (files.some((f) => f.role === "release" && f.changed)) {
      out.push(
        "This is another release than before: note where it came from (commit or URL, version, size, sha256) in",
        "spec/upstream/pinterest/SOURCE.md.",
      );
    }
  }
  return `${out.join("\n")}\n`;
}
