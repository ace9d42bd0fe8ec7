import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { correctedSpec, renderCorrectedSpec } from "./build.ts";
import { type Doc, loadDocument, parseDocument, readSource } from "./document.ts";
import { filterOperations, operations, readFilterSet } from "./filter.ts";
import { replaceFiles } from "./generated.ts";
import { formatProblems, type LintResult } from "./lint.ts";
import type { ActionResult } from "./overlay.ts";
import { layout, releaseFileNames } from "./paths.ts";
import { targetFiles, targetNames } from "./targets.ts";
import { type Phase, sinceStart, Timeline } from "./timeline.ts";
import { compareSpecs, type TypeChanges } from "./type-changes.ts";
import { assertOpenApi30, renderUpstream } from "./upstream.ts";
import { type PipelineWorkers, startPipelineWorkers } from "./workers.mjs";

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
  /** Worker threads already started (the CLI starts them first so that they load while it loads the rest). */
  workers?: PipelineWorkers;
  /** Steps that ran before this call (the CLI's bundling), listed first in `timings`. */
  before?: Phase[];
}

/** One file spec:update produces. */
export interface UpdatedFile {
  path: string;
  /**
   * release: Pinterest's file, kept as read in spec/upstream/pinterest/; upstream: spec/upstream/openapi.yaml;
   * spec: spec/openapi.yaml; generated: a target's *.gen.ts.
   */
  role: "release" | "upstream" | "spec" | "generated";
  /** Content before the run (`undefined`: the file did not exist). */
  before: string | undefined;
  /** Content after the run (`undefined`: the file is removed, e.g. a release kept as JSON when YAML is read). */
  after: string | undefined;
  changed: boolean;
}

export interface SpecUpdateResult {
  root: string;
  /** The URL, or the absolute path of the file read. */
  source: string;
  /** Upstream `info.version`. */
  version: string;
  /** SHA-256 of the bytes read. */
  sha256: string;
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
  /** Every overlay action and whether it changed this upstream or found it already corrected. */
  overlay: ActionResult[];
  /** When each step ran (main thread and workers), in ms since the process started. */
  timings: Phase[];
}

const nothingWritten = "Nothing was written: spec/upstream and every generated file are as they were.";

const schemaCount = (doc: Doc) =>
  Object.keys(((doc.components as { schemas?: object } | undefined)?.schemas ?? {}) as object).length;

const read = (path: string) => readFile(path, "utf8").catch(() => undefined);

/**
 * Takes a whole upstream Pinterest description: keeps it in spec/upstream/pinterest/, keeps the operations in
 * spec/filter.yaml (or all of them) in spec/upstream/openapi.yaml, applies spec/overlay.yaml, regenerates
 * spec/openapi.yaml and every target, lints the result with Redocly and compares it with what was there. Linting and
 * openapi-typescript run in worker threads while the main thread runs the other generators. Every output is computed
 * and checked first and then replaced all-or-nothing, so a failing overlay action, generator or lint leaves every file
 * as it was.
 */
export async function specUpdate(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const workers = options.workers ?? startPipelineWorkers();
  try {
    return await update(options, workers);
  } finally {
    await Promise.all([workers.types.close(), workers.lint.close()]);
  }
}

async function update(options: SpecUpdateOptions, workers: PipelineWorkers): Promise<SpecUpdateResult> {
  const paths = layout(options.root);
  const all = options.all === true;
  const isUrl = /^https?:\/\//.test(options.source);
  const source = isUrl ? options.source : resolve(options.cwd ?? process.env.INIT_CWD ?? process.cwd(), options.source);
  const timeline = new Timeline();
  for (const phase of options.before ?? []) timeline.add(phase);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${nothingWritten}`, { cause: error });
  }
  const { files, result, corrected, previousText } = prepared;
  const changed = files.filter((f) => f.changed);
  const write = !options.dryRun && changed.length > 0;
  if (write) await timeline.time("write files", () => replaceFiles(changed, { root: paths.root }));
  const { changes, previousVersion } = await timeline.time("compare types", () => {
    const after = files.find((f) => f.role === "spec")?.after;
    if (previousText !== undefined && previousText === after) {
      return { changes: compareSpecs(undefined, undefined), previousVersion: result.version };
    }
    let previous: Doc | undefined;
    try {
      previous = previousText === undefined ? undefined : parseDocument(previousText, paths.openapi);
    } catch {
      previous = undefined; // an unreadable spec/openapi.yaml is simply replaced; everything reads as added
    }
    const version = (previous?.info as { version?: unknown } | undefined)?.version;
    return {
      changes: compareSpecs(previous, corrected),
      previousVersion: version === undefined ? undefined : String(version),
    };
  });
  return {
    ...result,
    previousVersion,
    dryRun: options.dryRun === true,
    written: write,
    files,
    changes,
    timings: timeline.phases,
  };

  async function prepare() {
    const { text, sha256, input } = await timeline.time("read source", async () => {
      const read = await readSource(source);
      const input = parseDocument(read.text, source);
      assertOpenApi30(input, source);
      return { ...read, input };
    });
    const [filter, overlay] = await Promise.all([loadDocument(paths.filter), loadDocument(paths.overlay)]);
    const filterSet = readFilterSet(filter);
    const version = String((input.info as { version: unknown }).version);
    const upstream = await timeline.time("filter", () => filterOperations(input, filterSet, { all }));
    const { doc: corrected, actions } = await timeline.time("overlay", () => correctedSpec(upstream, overlay));
    // The workers take the corrected description as JSON text: cheaper to copy and parse than a cloned object.
    const json = JSON.stringify(corrected);
    const lintStart = performance.now();
    const linted = workers.lint
      .run({ json, path: paths.openapi, configPath: paths.lintConfig })
      .finally(() => timeline.add({ name: "lint", thread: "lint", start: lintStart, end: performance.now() }));
    const typesStart = performance.now();
    const typed = workers.types
      .run(json)
      .finally(() =>
        timeline.add({ name: "openapi-typescript", thread: "types", start: typesStart, end: performance.now() }),
      );
    const generated = Promise.all(
      targetNames.map((target) => targetFiles(target, { root: paths.root, doc: corrected, types: () => typed })),
    );
    // Awaited below; a failure must not surface as unhandled before then (or after a lint error is thrown).
    for (const pending of [linted, typed, generated]) pending.catch(() => {});
    const upstreamText = await timeline.time("render upstream/openapi.yaml", () =>
      renderUpstream(upstream, { version, sha256, all }),
    );
    const correctedText = await timeline.time("render openapi.yaml", () => renderCorrectedSpec(corrected));
    const release = releaseFile(paths.release, text);
    const outputs: Omit<UpdatedFile, "before" | "changed">[] = [
      ...release,
      { path: paths.upstream, role: "upstream", after: upstreamText },
      { path: paths.openapi, role: "spec", after: correctedText },
    ];
    const lint = await linted;
    if (lint.errors.length) {
      throw new Error(
        [
          `Redocly found ${lint.errors.length} error(s) in the corrected description:`,
          ...formatProblems(lint.errors),
          "Correct them with an action in spec/overlay.yaml, or, if a rule does not fit Pinterest's description, " +
            "change its severity in spec/redocly-lint.yaml with a comment saying why.",
        ].join("\n"),
      );
    }
    for (const file of (await generated).flat()) {
      outputs.push({ path: file.path, role: "generated", after: file.content });
    }
    const files = await timeline.time("read current files", () =>
      Promise.all(
        outputs.map(async (output): Promise<UpdatedFile> => {
          const before = await read(output.path);
          return { ...output, before, changed: before !== output.after };
        }),
      ),
    );
    for (const [thread, worker] of Object.entries(workers)) {
      const loaded = await worker.loaded;
      if (Number.isFinite(loaded)) timeline.add({ name: "load modules", thread, start: 0, end: sinceStart(loaded) });
    }
    return {
      files,
      corrected,
      previousText: files.find((f) => f.role === "spec")?.before,
      result: {
        root: paths.root,
        source,
        version,
        sha256,
        all,
        kept: {
          operations: operations(upstream).length,
          totalOperations: operations(input).length,
          schemas: schemaCount(upstream),
          totalSchemas: schemaCount(input),
        },
        lint,
        overlay: actions,
      },
    };
  }
}

/** The release file to keep, as read: `openapi.json` or `openapi.yaml`, removing the other name if it is there. */
function releaseFile(dir: string, text: string): Omit<UpdatedFile, "before" | "changed">[] {
  const name = text.trimStart().startsWith("{") ? "openapi.json" : "openapi.yaml";
  return releaseFileNames.map((candidate) => ({
    path: join(dir, candidate),
    role: "release" as const,
    after: candidate === name ? text : undefined,
  }));
}
