import { type Doc, loadDocument } from "../../../packages/codegen/src/document.ts";
import { generateCore } from "./codegen-core.ts";
import { generateMock } from "./codegen-mock.ts";
import { type EmitResult, emitFiles, type GeneratedFile } from "./generated.ts";
import { type Layout, layout } from "./paths.ts";

/** The packages generated from spec/openapi.yaml: the one list `pnpm generate` and `pnpm spec:update` both use. */
export const targets = {
  core: (doc: Doc, paths: Layout) => generateCore(doc, paths.coreGenerated),
  mock: async (doc: Doc, paths: Layout) => generateMock(doc, paths.mockGenerated),
} as const satisfies Record<string, (doc: Doc, paths: Layout) => Promise<GeneratedFile[]>>;

export type Target = keyof typeof targets;

/** Every target's name, in generation order. */
export const targetNames = Object.keys(targets) as Target[];

/** Computes one target's files under `root` without writing them, from `doc` (default: `<root>/spec/openapi.yaml`). */
export async function targetFiles(
  target: Target,
  { root, doc }: { root?: string; doc?: Doc } = {},
): Promise<GeneratedFile[]> {
  const paths = layout(root);
  return targets[target](doc ?? (await loadDocument(paths.openapi)), paths);
}

/** Generates one target's files and writes them (or, with `check`, fails if they are stale). */
export async function generateTarget(
  target: Target,
  { root, check = false }: { root?: string; check?: boolean } = {},
): Promise<EmitResult> {
  const files = await targetFiles(target, root === undefined ? {} : { root });
  return emitFiles(files, { check, root: layout(root).root });
}
