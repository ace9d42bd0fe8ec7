/**
 * `pnpm spec:update <file-or-url> [--dry-run] [--root <dir>]`: takes a whole Pinterest release, keeps it in
 * spec/upstream/pinterest/, corrects it with @pintoken/codegen's pipeline (the one `npx @pintoken/codegen` runs for
 * users), regenerates spec/openapi.yaml and every generated package, and prints what changed in the generated
 * types. Redocly's lint of spec/openapi.yaml is `pnpm lint` (in spec/, part of `pnpm test`).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "./lib/cli.ts";
import { formatReport } from "./lib/report.ts";
import { specUpdate } from "./lib/spec-update.ts";

const usage = `Usage: pnpm spec:update <file-or-url> [--dry-run] [--root <dir>]

Takes Pinterest's whole OpenAPI description (v5/openapi.json or v5/openapi.yaml of pinterest/api-description, or a
URL of either), keeps it as published in spec/upstream/pinterest/, applies pintoken's overlay
(packages/codegen/overlay.yaml), regenerates spec/openapi.yaml and every package's src/generated files (every
operation) and prints what changed in the generated types. If any step fails, nothing is written. Then run
\`pnpm test\`: its lint step checks spec/openapi.yaml with Redocly (spec/redocly-lint.yaml).

  <file-or-url>   a JSON or YAML file (relative to where you ran pnpm) or an http(s) URL
  --dry-run       report what would change, write nothing
  --root <dir>    the repository to update (default: the checkout this script is in)
  --help          show this help

Example:
  pnpm spec:update ~/Downloads/openapi.json
  pnpm spec:update https://raw.githubusercontent.com/pinterest/api-description/<commit>/v5/openapi.json`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      root: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });

await runCli(main);

async function main(args: string[]) {
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
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const result = await specUpdate({
    source: positionals[0] as string,
    cwd,
    dryRun: values["dry-run"],
    ...(values.root ? { root: resolve(cwd, values.root) } : {}),
  });
  process.stdout.write(formatReport(result));
}
