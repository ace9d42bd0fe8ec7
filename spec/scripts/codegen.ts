/**
 * `pnpm generate` (in a package): writes that package's src/generated/*.gen.ts from spec/openapi.yaml.
 * Usage: tsx ../../spec/scripts/codegen.ts <core|mock> [--check]
 */
import { runCli } from "./lib/cli.ts";
import { generateTarget, type Target, targets } from "./lib/targets.ts";

await runCli(async (args) => {
  const target = args.find((a) => !a.startsWith("--"));
  if (!target || !(target in targets)) {
    throw new Error(`Usage: codegen.ts <${Object.keys(targets).join("|")}> [--check]; got ${target ?? "no target"}.`);
  }
  const check = args.includes("--check");
  const { changed } = await generateTarget(target as Target, { check });
  console.log(
    check ? `${target}: generated files are up to date` : `${target}: ${changed.length} generated file(s) written`,
  );
});
