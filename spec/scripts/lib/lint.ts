/**
 * Lints a description with Redocly (@redocly/openapi-core, the engine of `redocly lint`) and the rules in
 * spec/redocly-lint.yaml, returning every problem: nothing is cut at 100 as the CLI's output is. `pnpm spec:update`
 * and `pnpm lint` in spec/ both run it.
 */
import { BaseResolver, lintDocument, loadConfig, Source } from "@redocly/openapi-core";

/** One problem Redocly found. */
export interface LintProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  /** JSON pointer of the first location, e.g. `#/components/schemas/Account`. */
  pointer?: string;
}

/** What Redocly reported for one description. */
export interface LintResult {
  errors: LintProblem[];
  warnings: LintProblem[];
}

const configs = new Map<string, ReturnType<typeof loadConfig>>();

function configAt(configPath: string) {
  let config = configs.get(configPath);
  if (!config) {
    config = loadConfig({ configPath });
    configs.set(configPath, config);
  }
  return config;
}

/**
 * Lints a description: its text (for locations), the same description parsed, the file it is (or will be) at, and
 * the lint rules.
 */
export async function lintDescription({
  text,
  doc,
  path,
  configPath,
}: {
  text: string;
  doc: Record<string, unknown>;
  path: string;
  configPath: string;
}): Promise<LintResult> {
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await configAt(configPath);
  } catch (error) {
    configs.delete(configPath);
    throw new Error(`Could not read the lint rules in ${configPath}: ${(error as Error).message}`);
  }
  const mimeType = text.trimStart().startsWith("{") ? "application/json" : "application/yaml";
  const problems = await lintDocument({
    document: { source: new Source(path, text, mimeType), parsed: doc },
    config,
    externalRefResolver: new BaseResolver(config.resolve),
  });
  const result: LintResult = { errors: [], warnings: [] };
  for (const problem of problems) {
    if (problem.ignored) continue;
    const pointer = problem.location[0]?.pointer;
    const severity = problem.severity === "error" ? "error" : "warn";
    (severity === "error" ? result.errors : result.warnings).push({
      ruleId: problem.ruleId,
      severity,
      message: problem.message,
      ...(pointer ? { pointer } : {}),
    });
  }
  return result;
}

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
