import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { ActionResult } from "../../../packages/codegen/src/overlay.ts";
import { compareTypes, type TypeChanges } from "../../../packages/codegen/src/type-changes.ts";
import { versionOf } from "../../../packages/codegen/src/types.ts";
import { correctedRelease, renderCorrectedSpec } from "./build.ts";
import { replaceFiles } from "./generated.ts";
import { layout, releaseFileNames } from "./paths.ts";
import { targetFiles, targetNames } from "./targets.ts";

export interface SpecUpdateOptions {
  /** A Pinterest description: an http(s) URL, or a file path (absolute, or relative to `cwd`). JSON or YAML. */
  source: string;
  /** Repository root to update (default: the checkout this script lives in). */
  root?: string;
  /** Where a relative `source` is resolved from (default: `INIT_CWD`, where the user ran pnpm, else the cwd). */
  cwd?: string;
  /** Compute and report everything, write nothing. */
  dryRun?: boolean;
}

/** One file spec:update produces. */
export interface UpdatedFile {
  path: string;
  /** release: Pinterest's file, kept as read in spec/upstream/pinterest/; spec: spec/openapi.yaml; generated: a *.gen.ts. */
  role: "release" | "spec" | "generated";
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
  /** The release the types this run replaced were made from (`undefined`: there were none). */
  previousVersion: string | undefined;
  /** Whether this was a dry run (nothing is written). */
  dryRun: boolean;
  /** Whether changed files were written (false on a dry run or when nothing changed). */
  written: boolean;
  kept: { operations: number; totalOperations: number; schemas: number; totalSchemas: number };
  files: UpdatedFile[];
  /** What changed in @pintoken/core's generated types, the types `npx @pintoken/codegen` writes for users. */
  changes: TypeChanges;
  /** Every overlay action and whether it changed this release or found it already corrected. */
  overlay: ActionResult[];
}

const nothingWritten = "Nothing was written: spec/upstream and every generated file are as they were.";

const read = (path: string) => readFile(path, "utf8").catch(() => undefined);

/**
 * Takes a whole Pinterest release: corrects it with @pintoken/codegen's pipeline (what users run with
 * `npx @pintoken/codegen`), regenerates spec/openapi.yaml and every target, and compares the generated types with what
 * was there. Every output is computed first and then replaced all-or-nothing, with the release kept in
 * spec/upstream/pinterest/, so a failing overlay action or generator leaves every file as it was. Redocly's lint of
 * the result is a step of its own (`pnpm lint` in spec/, part of `pnpm test`), not repeated here.
 */
export async function specUpdate(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const paths = layout(options.root);
  const isUrl = /^https?:\/\//.test(options.source);
  const cwd = options.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const source = isUrl || isAbsolute(options.source) ? options.source : resolve(cwd, options.source);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${nothingWritten}`, { cause: error });
  }
  const { files, corrected } = prepared;
  const changed = files.filter((f) => f.changed);
  const write = !options.dryRun && changed.length > 0;
  if (write) await replaceFiles(changed, { root: paths.root });
  const types = files.find((f) => f.path === join(paths.coreGenerated, "openapi.gen.ts"));
  return {
    root: paths.root,
    source: corrected.source,
    version: corrected.version,
    sha256: corrected.sha256,
    previousVersion: types?.before === undefined ? undefined : versionOf(types.before),
    dryRun: options.dryRun === true,
    written: write,
    kept: corrected.kept,
    files,
    changes: compareTypes(types?.before, types?.after),
    overlay: corrected.overlay,
  };

  async function prepare() {
    const corrected = await correctedRelease(paths.root, source);
    const correctedText = renderCorrectedSpec(corrected);
    const outputs: Omit<UpdatedFile, "before" | "changed">[] = [
      ...releaseFile(paths.release, corrected.text),
      { path: paths.openapi, role: "spec", after: correctedText },
    ];
    for (const target of targetNames) {
      for (const file of await targetFiles(target, { root: paths.root, doc: corrected.doc })) {
        outputs.push({ path: file.path, role: "generated", after: file.content });
      }
    }
    const files = await Promise.all(
      outputs.map(async (output): Promise<UpdatedFile> => {
        const before = await read(output.path);
        return { ...output, before, changed: before !== output.after };
      }),
    );
    return { files, corrected };
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
