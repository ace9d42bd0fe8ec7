import { generateCore } from "./codegen-core.ts";
import { generateMock } from "./codegen-mock.ts";
import { type Doc, loadDocument } from "./document.ts";
import { type EmitResult, emitFiles, type GeneratedFile } from "./generated.ts";
import { type Layout, layout } from "./paths.ts";

/** What a target generates from: the corrected document, where outputs go, and its openapi-typescript types. */
export interface TargetInput {
  doc: Doc;
  paths: Layout;
  /** The document's openapi-typescript types (spec:update computes them in a worker thread). */
  types: () => Promise<string>;
}

/** The packages generated from spec/openapi.yaml: the one list `pnpm generate` and `pnpm spec:update` both use. */
export const targets = {
  core: async ({ doc, paths, types }: TargetInput) => generateCore(doc, await types(), paths.coreGenerated),
  mock: async ({ doc, paths }: TargetInput) => generateMock(doc, paths.mockGenerated),
} as const satisfies Record<string, (input: TargetInput) => Promise<GeneratedFile[]>>;

export type Target = keyof typeof targets;

/** Every target's name, in generation order. */
export const targetNames = Object.keys(targets) as Target[];

/**
 * Computes one target's files under `root` without writing them, from `doc` (default: `<root>/spec/openapi.yaml`)
 * and its `types` (default: openapi-typescript in this thread).
 */
export async function targetFiles(
  target: Target,
  { root, doc, types }: { root?: string; doc?: Doc; types?: () => Promise<string> } = {},
): Promise<GeneratedFile[]> {
  const paths = layout(root);
  const input = doc ?? (await loadDocument(paths.openapi));
  // types.mjs loads openapi-typescript and TypeScript: only when this thread has to make the types itself.
  const inProcess = async () => (await import("./types.mjs")).generateTypes(input);
  return targets[target]({ doc: input, paths, types: types ?? inProcess });
}

/** Generates one target's files and writes them (or, with `check`, fails if they are stale). */
export async function generateTarget(
  target: Target,
  { root, check = false }: { root?: string; check?: boolean } = {},
): Promise<EmitResult> {
  const files = await targetFiles(target, root === undefined ? {} : { root });
  return emitFiles(files, { check, root: layout(root).root });
}
