import type { LintProblem } from "./lint.mjs";

// Only types here: the lint itself (lint.mjs) loads Redocly, which spec:update loads in a worker thread instead.
export type { LintProblem, LintResult } from "./lint.mjs";

/** One line per problem, `rule: message (at pointer)`, cut at `limit` with a count of the rest. */
export function formatProblems(problems: LintProblem[], limit = 20): string[] {
  const lines = problems
    .slice(0, limit)
    .map((p) => `  ${p.ruleId}: ${p.message}${p.pointer ? ` (at ${p.pointer})` : ""}`);
  if (problems.length > limit) lines.push(`  … and ${problems.length - limit} more`);
  return lines;
}

/** How many problems each rule found, most first (ties by rule name), e.g. `spec-ref-siblings 312`. */
export function countByRule(problems: LintProblem[]): [rule: string, count: number][] {
  const counts = new Map<string, number>();
  for (const { ruleId } of problems) counts.set(ruleId, (counts.get(ruleId) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
}
