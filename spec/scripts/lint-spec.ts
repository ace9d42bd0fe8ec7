/**
 * `pnpm lint` in spec/: lints spec/openapi.yaml with the rules in spec/redocly-lint.yaml (the same lint spec:update
 * runs) and fails on errors; warnings are counted per rule. `--root <dir>` lints another checkout.
 */
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDocument } from "../../packages/codegen/src/document.ts";
import { runCli } from "./lib/cli.ts";
import { countByRule, formatProblems, lintDescription } from "./lib/lint.ts";
import { layout } from "./lib/paths.ts";

await runCli(async (args) => {
  const { values } = parseArgs({ args, options: { root: { type: "string" } } });
  const paths = layout(values.root ? resolve(values.root) : undefined);
  const text = await readFile(paths.openapi, "utf8");
  const name = relative(paths.root, paths.openapi);
  const { errors, warnings } = await lintDescription({
    text,
    doc: parseDocument(text, name),
    path: paths.openapi,
    configPath: paths.lintConfig,
  });
  const summary = (problems: typeof errors) =>
    problems.length
      ? ` (${countByRule(problems)
          .map(([rule, n]) => `${rule} ${n}`)
          .join(", ")})`
      : "";
  const report = [
    `${name}: ${errors.length} error(s)${summary(errors)}, ${warnings.length} warning(s)${summary(warnings)}.`,
    ...formatProblems(errors, errors.length),
  ].join("\n");
  if (errors.length)
    throw new Error(
      `${report}\nCorrect them with an action in packages/codegen/overlay.yaml, or see spec/redocly-lint.yaml.`,
    );
  console.log(report);
});
