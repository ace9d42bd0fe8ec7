import type { CorrectedRelease, Generated } from "./generate.ts";
import { formatTypeChanges, hasTypeChanges } from "./type-changes.ts";

/** The release read and what was kept, one line: `Pinterest REST API 5.23.0 (was 5.22.0) from …: kept …`. */
export function releaseLine(
  result: Pick<CorrectedRelease, "kept" | "version" | "source" | "sha256">,
  previousVersion?: string,
): string {
  const { kept } = result;
  const was = previousVersion !== undefined && previousVersion !== result.version ? ` (was ${previousVersion})` : "";
  return (
    `Pinterest API ${result.version}${was} from ${result.source} (sha256 ${result.sha256.slice(0, 12)}…): ` +
    `kept ${kept.operations} of ${kept.totalOperations} operations and ${kept.schemas} of ${kept.totalSchemas} schemas.`
  );
}

/** How many overlay actions changed the release, and each action with its outcome. */
export function overlayLines({ overlay }: Pick<CorrectedRelease, "overlay">): string[] {
  const applied = overlay.filter((a) => a.outcome === "applied").length;
  const satisfied = overlay.length - applied;
  return [
    `Overlay: ${applied} of ${overlay.length} correction(s) applied` +
      (satisfied ? `, ${satisfied} already satisfied by the release (no-ops):` : ":"),
    ...overlay.map((a) => `  ${a.outcome.padEnd(9)}  #${String(a.number).padEnd(3)} ${a.description || a.target}`),
  ];
}

/** What changed in the types, indented under a title, or that nothing did. */
export function changeLines(changes: Generated["changes"]): string[] {
  if (!hasTypeChanges(changes)) return ["No changes to the types."];
  return ["Changes to the types:", ...formatTypeChanges(changes).map((line) => `  ${line}`)];
}

/**
 * What happened to the output file: written new, replaced, already up to date, or left alone (a dry run).
 *
 * @example
 * ```ts
 * const state: OutputState = previous === undefined ? "created" : previous === result.types ? "unchanged" : "updated";
 * ```
 */
export type OutputState = "created" | "updated" | "unchanged" | "not written (dry run)";

/**
 * What `npx @pintoken/codegen` prints: the release and what was kept, each overlay correction's outcome, the file and
 * what happened to it, and what changed in the types since the file it replaced.
 *
 * @example
 * ```ts
 * const result = await generate({ source: "openapi.json", previous });
 * process.stdout.write(formatReport(result, { output: "src/pinterest.d.ts", state: "updated" }));
 * ```
 */
export function formatReport(result: Generated, { output, state }: { output: string; state: OutputState }): string {
  return `${[
    releaseLine(result, result.previousVersion),
    "",
    ...overlayLines(result),
    "",
    `${output}: ${state}.`,
    "",
    ...changeLines(result.changes),
  ].join("\n")}\n`;
}
