/**
 * `pnpm spec:update <file-or-url> [--all] [--dry-run] [--timings] [--root <dir>]`: takes a whole upstream Pinterest
 * description, keeps it in spec/upstream/pinterest/, keeps the operations pintoken uses in spec/upstream/openapi.yaml,
 * applies the overlay, regenerates spec/openapi.yaml and every generated package, lints, and prints what changed in
 * the generated types. Started by spec-update.mjs, which runs it bundled and starts the worker threads first.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "./lib/cli.ts";
import type { Phase } from "./lib/timeline.ts";
import type { PipelineWorkers } from "./lib/workers.mjs";

const usage = `Usage: pnpm spec:update <file-or-url> [--all] [--dry-run] [--timings] [--root <dir>]

Takes Pinterest's whole OpenAPI description (v5/openapi.json or v5/openapi.yaml of pinterest/api-description, or a
URL of either), keeps it as published in spec/upstream/pinterest/, keeps the operations listed in spec/filter.yaml
and everything they reach in spec/upstream/openapi.yaml, applies spec/overlay.yaml, regenerates spec/openapi.yaml
and every package's src/generated files, lints the result with Redocly and prints what changed in the generated
types. If any step fails, nothing is written.

  <file-or-url>   a JSON or YAML file (relative to where you ran pnpm) or an http(s) URL
  --all           keep every operation, not only those in spec/filter.yaml
  --dry-run       report what would change, write nothing
  --timings       also print when each step ran
  --root <dir>    the repository to update (default: this checkout)
  --help          show this help

Example:
  pnpm spec:update ~/Downloads/openapi.json
  pnpm spec:update https://raw.githubusercontent.com/pinterest/api-description/<commit>/v5/openapi.json`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      all: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      timings: { type: "boolean", default: false },
      root: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });

/**
 * Runs the CLI with `args`; errors are printed and set the exit code (see runCli). `before`: steps the entry ran
 * before this (making the bundles), for `--timings`.
 */
export const specUpdateCli = (args: string[], workers: PipelineWorkers, before: Phase[] = []) =>
  runCli(() => main(args, workers, before));

async function main(args: string[], workers: PipelineWorkers, before: Phase[]) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return console.log(usage);
  if (positionals.length !== 1) {
    throw new Error(
      `${positionals.length ? `Expected one file or URL, got ${positionals.length}.` : "Missing the file or URL to read."}\n\n${usage}`,
    );
  }
  const [{ specUpdate }, { formatReport }] = await Promise.all([
    import("./lib/spec-update.ts"),
    import("./lib/report.ts"),
  ]);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const result = await specUpdate({
    source: positionals[0] as string,
    cwd,
    all: values.all,
    dryRun: values["dry-run"],
    workers,
    before,
    ...(values.root ? { root: resolve(cwd, values.root) } : {}),
  });
  process.stdout.write(formatReport(result, { timings: values.timings }));
}
