/**
 * Lints a description with Redocly (@redocly/openapi-core, the engine of `redocly lint`) and the rules in
 * spec/redocly-lint.yaml, returning every problem: nothing is cut at 100 as the CLI's output is. `pnpm lint` in
 * spec/ calls {@link lintDescription} in process; `pnpm spec:update` runs it in a worker thread (task "lint") while
 * the types are generated.
 */
import { BaseResolver, lintDocument, loadConfig, Source } from "@redocly/openapi-core";
import { serveWorker } from "./worker-task.mjs";

/**
 * One problem Redocly found.
 * @typedef {object} LintProblem
 * @property {string} ruleId
 * @property {"error" | "warn"} severity
 * @property {string} message
 * @property {string} [pointer] JSON pointer of the first location, e.g. `#/components/schemas/Account`
 */

/**
 * What Redocly reported for one description.
 * @typedef {object} LintResult
 * @property {LintProblem[]} errors
 * @property {LintProblem[]} warnings
 */

/** @type {Map<string, ReturnType<typeof loadConfig>>} */
const configs = new Map();

/** @param {string} configPath */
function configAt(configPath) {
  let config = configs.get(configPath);
  if (!config) {
    config = loadConfig({ configPath });
    configs.set(configPath, config);
  }
  return config;
}

/**
 * @param {{ text: string, doc: Record<string, unknown>, path: string, configPath: string }} input the description's
 *   text (for locations), the same description parsed, the file it is (or will be) at, and the lint rules
 * @returns {Promise<LintResult>}
 */
export async function lintDescription({ text, doc, path, configPath }) {
  let config;
  try {
    config = await configAt(configPath);
  } catch (error) {
    configs.delete(configPath);
    throw new Error(`Could not read the lint rules in ${configPath}: ${/** @type {Error} */ (error).message}`);
  }
  const mimeType = text.trimStart().startsWith("{") ? "application/json" : "application/yaml";
  const problems = await lintDocument({
    document: { source: new Source(path, text, mimeType), parsed: doc },
    config,
    externalRefResolver: new BaseResolver(config.resolve),
  });
  /** @type {LintResult} */
  const result = { errors: [], warnings: [] };
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

serveWorker("lint", (/** @type {{ json: string, path: string, configPath: string }} */ input) =>
  lintDescription({ text: input.json, doc: JSON.parse(input.json), path: input.path, configPath: input.configPath }),
);
