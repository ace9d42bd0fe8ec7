import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { correctedSpec, renderCorrectedSpec } from "./build.ts";
import { type Doc, loadDocument, parseDocument } from "./document.ts";
import { operations } from "./filter.ts";
import { replaceFiles } from "./generated.ts";
import { formatProblems, type LintResult, lintSpec } from "./lint.ts";
import { layout } from "./paths.ts";
import { targetFiles, targetNames } from "./targets.ts";
import { compareSpecs, type TypeChanges } from "./type-changes.ts";
import { assertOpenApi30, selectUpstream } from "./upstream.ts";

export interface SpecUpdateOptions {
  /** A Pinterest description: an http(s) URL, or a file path (absolute, or relative to `cwd`). JSON or YAML. */
  source: string;
  /** Repository root to update (default: the checkout this script lives in). */
  root?: string;
  /** Where a relative `source` is resolved from (default: `INIT_CWD`, where the user ran pnpm, else the cwd). */
  cwd?: string;
  /** Keep every operation instead of those in spec/filter.yaml. */
  all?: boolean;
  /** Compute and report everything, write nothing. */
  dryRun?: boolean;
}

/** One file spec:update produces. */
export interface UpdatedFile {
  path: string;
  /** upstream: spec/upstream/openapi.yaml; spec: spec/openapi.yaml; generated: a target's *.gen.ts. */
  role: "upstream" | "spec" | "generated";
  /** Content before the run (`undefined`: the file did not exist). */
  before: string | undefined;
  after: string;
  changed: boolean;
}

export interface SpecUpdateResult {
  root: string;
  /** The URL, or the absolute path of the file read. */
  source: string;
  /** Upstream `info.version`. */
  version: string;
  /** `info.version` of the spec/openapi.yaml this run replaced (`undefined`: there was none). */
  previousVersion: string | undefined;
  all: boolean;
  /** Whether this was a dry run (nothing is written). */
  dryRun: boolean;
  /** Whether changed files were written (false on a dry run or when nothing changed). */
  written: boolean;
  kept: { operations: number; totalOperations: number; schemas: number; totalSchemas: number };
  files: UpdatedFile[];
  changes: TypeChanges;
  lint: LintResult;
}

const nothingWritten = "Nothing was written: spec/upstream and every generated file are as they were.";

const schemaCount = (doc: Doc) =>
  Object.keys(((doc.components as { schemas?: object } | undefined)?.schemas ?? {}) as object).length;

/**
 * Takes a whole upstream Pinterest description: keeps the operations in spec/filter.yaml (or all of them), writes
 * spec/upstream/openapi.yaml, applies spec/overlay.yaml, regenerates spec/openapi.yaml and every target, lints the
 * result with Redocly and compares it with what was there. Every output is computed and checked in a staging
 * directory first and then replaced all-or-nothing, so a failing overlay action, generator or lint leaves every
 * file as it was.
 */
export async function specUpdate(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const paths = layout(options.root);
  const all = options.all === true;
  const isUrl = /^https?:\/\//.test(options.source);
  const source = isUrl ? options.source : resolve(options.cwd ?? process.env.INIT_CWD ?? process.cwd(), options.source);
  const stage = await mkdtemp(join(tmpdir(), "pintoken-spec-update-"));
  let files: UpdatedFile[];
  let result: Omit<SpecUpdateResult, "dryRun" | "written" | "files" | "changes" | "previousVersion">;
  let previous: Doc | undefined;
  let corrected: Doc;
  try {
    const input = await loadDocument(source);
    assertOpenApi30(input, source);
    const [filterSet, overlay] = await Promise.all([loadDocument(paths.filter), loadDocument(paths.overlay)]);
    const upstream = await selectUpstream(input, filterSet, { source, all });
    const correctedText = renderCorrectedSpec(await correctedSpec(parseDocument(upstream.text), overlay));
    // Generators read the file, as `pnpm generate` does: stage it so nothing real is touched yet.
    const staged = join(stage, "spec", "openapi.yaml");
    await mkdir(dirname(staged), { recursive: true });
    await writeFile(staged, correctedText);
    corrected = parseDocument(correctedText, staged);
    const lint = await lintSpec(staged, paths.redocly);
    if (lint.errors.length) {
      throw new Error(
        [
          `Redocly found ${lint.errors.length} error(s) in the corrected description:`,
          ...formatProblems(lint.errors),
          "Correct them with an action in spec/overlay.yaml, or, if a rule does not fit Pinterest's description, " +
            "turn it off in spec/redocly.yaml with a comment saying why.",
        ].join("\n"),
      );
    }
    const generated = (
      await Promise.all(targetNames.map((target) => targetFiles(target, { root: paths.root, spec: staged })))
    ).flat();
    const read = (path: string) => readFile(path, "utf8").catch(() => undefined);
    const outputs: Omit<UpdatedFile, "before" | "changed">[] = [
      { path: paths.upstream, role: "upstream", after: upstream.text },
      { path: paths.openapi, role: "spec", after: correctedText },
      ...generated.map((file) => ({ path: file.path, role: "generated" as const, after: file.content })),
    ];
    files = await Promise.all(
      outputs.map(async (output) => {
        const before = await read(output.path);
        return { ...output, before, changed: before !== output.after };
      }),
    );
    const previousText = files.find((f) => f.role === "spec")?.before;
    try {
      previous = previousText === undefined ? undefined : parseDocument(previousText, paths.openapi);
    } catch {
      previous = undefined; // an unreadable spec/openapi.yaml is simply replaced; everything reads as added
    }
    result = {
      root: paths.root,
      source,
      version: String((input.info as { version: unknown }).version),
      all,
      kept: {
        operations: operations(upstream.doc).length,
        totalOperations: operations(input).length,
        schemas: schemaCount(upstream.doc),
        totalSchemas: schemaCount(input),
      },
      lint,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${nothingWritten}`, { cause: error });
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  const changed = files.filter((f) => f.changed);
  const write = !options.dryRun && changed.length > 0;
  if (write) await replaceFiles(changed, { root: paths.root });
  const previousVersion = (previous?.info as { version?: unknown } | undefined)?.version;
  return {
    ...result,
    previousVersion: previousVersion === undefined ? undefined : String(previousVersion),
    dryRun: options.dryRun === true,
    written: write,
    files,
    changes: compareSpecs(previous, corrected),
  };
}
