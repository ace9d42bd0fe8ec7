import { pathToFileURL } from "node:url";
import { generateCore } from "./codegen-core.ts";
import { generateMock } from "./codegen-mock.ts";
import { loadDocument } from "./document.ts";
import { type EmitResult, emitFiles } from "./generated.ts";
import { layout } from "./paths.ts";

/** The packages generated from spec/openapi.yaml: the one list `pnpm generate` and `pnpm spec:update` both use. */
export const targets = {
  core: async (root?: string) => {
    const paths = layout(root);
    return generateCore(await loadDocument(paths.openapi), pathToFileURL(paths.openapi), paths.coreGenerated);
  },
  mock: async (root?: string) => {
    const paths = layout(root);
    return generateMock(await loadDocument(paths.openapi), paths.mockGenerated);
  },
} as const;

export type Target = keyof typeof targets;

/** Generates one target's files and writes them (or, with `check`, fails if they are stale). */
export async function generateTarget(
  target: Target,
  { root, check = false }: { root?: string; check?: boolean } = {},
): Promise<EmitResult> {
  const files = await targets[target](root);
  return emitFiles(files, { check, root: layout(root).root });
}
