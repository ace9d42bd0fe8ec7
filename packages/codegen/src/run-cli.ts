import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "./generate.ts";
import { formatReport, type OutputState } from "./report.ts";

const usage = `Usage: npx @pintoken/codegen <file-or-url> -o <file> [--operations <id,id,…>] [--dry-run]

Reads Pinterest's OpenAPI description (v5/openapi.json or v5/openapi.yaml of pinterest/api-description, any release,
or a URL of either), applies pintoken's corrections (the overlay shipped with @pintoken/codegen), writes the
TypeScript types of every path, operation and schema (openapi-typescript), and prints what changed since the file it
replaces. Use the types with @pintoken/core/api:

  import type { paths } from "./pinterest";
  const api = createPinterestApi<paths>({ manager });

Options:
  -o, --output <file>      where to write the types, e.g. src/pinterest.d.ts (required)
  --operations <ids>       keep only these operationIds (comma-separated) and what they use; default: all
  --dry-run                print what would change, write nothing
  -h, --help               show this help`;

/** Where the CLI writes. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs `pintoken-codegen` with `args`; resolves to the exit code (0, or 1 with the error printed). */
export async function runCli(args: readonly string[], output: CliOutput, cwd = process.cwd()): Promise<number> {
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\n${usage}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      output.out(`${usage}\n`);
      return 0;
    }
    if (positionals.length !== 1) {
      const got = positionals.length
        ? `Expected one file or URL, got ${positionals.length}.`
        : "Missing the file or URL.";
      throw new Error(`${got}\n\n${usage}`);
    }
    if (!values.output) throw new Error(`Missing -o <file>: where to write the types.\n\n${usage}`);
    const target = resolve(cwd, values.output);
    const previous = await readFile(target, "utf8").catch(() => undefined);
    const operations = values.operations
      ?.split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const result = await generate({ source: positionals[0] as string, cwd, previous, operations });
    let state: OutputState = previous === result.types ? "unchanged" : previous === undefined ? "created" : "updated";
    if (values["dry-run"] && state !== "unchanged") state = "not written (dry run)";
    else if (state !== "unchanged") await replaceFile(target, result.types, values.output);
    output.out(formatReport(result, { output: relative(cwd, target) || target, state }));
    return 0;
  } catch (error) {
    output.err(`pintoken-codegen: ${(error as Error).message}\nNothing was written.\n`);
    return 1;
  }
}

/**
 * Writes `content` beside `target` and renames it over `target`: an interrupted or failed run never leaves half a
 * file, and a failure leaves the previous file as it was (and no temporary file behind).
 */
async function replaceFile(target: string, content: string, shown: string): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, content);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(
      `Could not write ${shown}: ${(error as Error).message}. Pass -o the path of a file in a directory you can write to.`,
    );
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      output: { type: "string", short: "o" },
      operations: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
