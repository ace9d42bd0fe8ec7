/**
 * `pnpm generate` (in a package): writes that package's src/generated/*.gen.ts from spec/openapi.yaml.
 * Usage: tsx ../../spec/scripts/codegen.ts <core|mock> [--check] [--root <dir>]
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "./lib/cli.ts";
import { generateTarget, type Target, targets } from "./lib/targets.ts";

await runCli(async (args) => {
  const usage = `Usage: codegen.ts <${Object.keys(targets).join("|")}> [--check] [--root <dir>]`;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { check: { type: "boolean", default: false }, root: { type: "string" } },
  });
  const target = positionals[0];
  if (!target || !(target in targets) || positionals.length > 1) {
    throw new Error(`${usage}; got ${positionals.length ? positionals.join(" ") : "no target"}.`);
  }
  const { check } = values;
  const { changed } = await generateTarget(target as Target, {
    check,
    ...(values.root ? { root: resolve(values.root) } : {}),
  });
  console.log(
    check ? `${target}: generated files are up to date` : `${target}: ${changed.length} generated file(s) written`,
  );
});
