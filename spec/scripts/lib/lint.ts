import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** One problem Redocly found. */
export interface LintProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  /** JSON pointer of the first location, e.g. `#/components/schemas/Account`. */
  pointer?: string;
}

/** What `redocly lint` reported for one description. */
export interface LintResult {
  errors: LintProblem[];
  warnings: LintProblem[];
}

const run = promisify(execFile);
const cli = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");

/**
 * Lints an OpenAPI description with the Redocly CLI (the same `redocly lint` and config as `pnpm lint`) and returns
 * its problems. Throws only when Redocly itself could not run or its output cannot be read.
 */
export async function lintSpec(spec: string, config: string): Promise<LintResult> {
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [cli, "lint", spec, "--config", config, "--format=json"], {
      cwd: dirname(config),
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    // `redocly lint` exits 1 when it found errors; its report is still on stdout.
    const failed = error as { stdout?: string; stderr?: string; message: string };
    if (!failed.stdout?.trim().startsWith("{")) {
      throw new Error(`Redocly could not lint ${spec}: ${(failed.stderr || failed.message).trim()}`);
    }
    stdout = failed.stdout;
  }
  let report: { problems?: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`Redocly printed a report that is not JSON: ${stdout.slice(0, 200)}`);
  }
  const problems = (report.problems ?? []).map(
    (p): LintProblem => ({
      ruleId: p.ruleId,
      severity: p.severity === "error" ? "error" : "warn",
      message: p.message,
      ...(p.location?.[0]?.pointer ? { pointer: p.location[0].pointer } : {}),
    }),
  );
  return {
    errors: problems.filter((p) => p.severity === "error"),
    warnings: problems.filter((p) => p.severity === "warn"),
  };
}

/** One line per problem: `rule: message (at pointer)`. */
export function formatProblems(problems: LintProblem[], limit = 20): string[] {
  const lines = problems
    .slice(0, limit)
    .map((p) => `  ${p.ruleId}: ${p.message}${p.pointer ? ` (at ${p.pointer})` : ""}`);
  if (problems.length > limit) lines.push(`  … and ${problems.length - limit} more`);
  return lines;
}
