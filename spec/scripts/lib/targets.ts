import { pathToFileURL } from "node:url";
import { generateCore } from "./codegen-core.ts";
import { generateMock } from "./codegen-mock.ts";
import { type Doc, loadDocument } from "./document.ts";
import { type EmitResult, emitFiles, type GeneratedFile } from "./generated.ts";
import { type Layout, layout } from "./paths.ts";

/** What a target generates from: the corrected document, the file it was read from, and where outputs go. */
export interface TargetInput {
  doc: Doc;
  /** The corrected document's file (openapi-typescript reads it itself). */
  specUrl: URL;
  paths: Layout;
}

/** The packages generated from spec/openapi.yaml: the one list `pnpm generate` and `pnpm spec:update` both use. */
export const targets = {
  core: ({ doc, specUrl, paths }: TargetInput) => generateCore(doc, specUrl, paths.coreGenerated),
  mock: async ({ doc, paths }: TargetInput) => generateMock(doc, paths.mockGenerated),
} as const satisfies Record<string, (input: TargetInput) => Promise<GeneratedFile[]>>;

export type Target = keyof typeof targets;

/** Every target's name, in generation order. */
export const targetNames = Object.keys(targets) as Target[];

/**
 * Computes one target's files under `root` without writing them. `spec` is the corrected document to read
 * (default: `<root>/spec/openapi.yaml`); spec:update passes a staged copy so nothing is written before it succeeds.
 */
export async function targetFiles(
  target: Target,
  { root, spec }: { root?: string; spec?: string } = {},
): Promise<GeneratedFile[]> {
  const paths = layout(root);
  const file = spec ?? paths.openapi;
  return targets[target]({ doc: await loadDocument(file), specUrl: pathToFileURL(file), paths });
}

/** Generates one target's files and writes them (or, with `check`, fails if they are stale). */
export async function generateTarget(
  target: Target,
  { root, check = false }: { root?: string; check?: boolean } = {},
): Promise<EmitResult> {
  const files = await targetFiles(target, root === undefined ? {} : { root });
  return emitFiles(files, { check, root: layout(root).root });
}
