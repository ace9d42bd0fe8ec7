import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root this checkout of the pipeline lives in (a copy of the workspace finds itself). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The paths `layout()` returns. */
export type Layout = ReturnType<typeof layout>;

/** Where each input and output of the pipeline lives, under a repository root. */
export function layout(root: string = repoRoot) {
  const spec = join(root, "spec");
  return {
    root,
    /** Pinterest's published release the pipeline is built from, kept as published (JSON or YAML). */
    release: join(spec, "upstream", "pinterest"),
    /** pintoken's corrections, shipped with @pintoken/codegen. */
    overlay: join(root, "packages", "codegen", "overlay.yaml"),
    openapi: join(spec, "openapi.yaml"),
    /** Redocly lint rules. Not named redocly.yaml, which openapi-typescript's CLI would pick up from spec/. */
    lintConfig: join(spec, "redocly-lint.yaml"),
    coreGenerated: join(root, "packages", "core", "src", "generated"),
    mockGenerated: join(root, "packages", "mock", "src", "generated"),
  };
}

/** Every file the pipeline reads or writes under a repository root, relative to it (what a copy of it needs). */
export const pipelineFiles = [
  "spec/upstream",
  "spec/openapi.yaml",
  "spec/redocly-lint.yaml",
  "packages/codegen/overlay.yaml",
  "packages/core/src/generated",
  "packages/mock/src/generated",
] as const;

/** The file names a kept release may have in `layout().release`: Pinterest publishes both. */
export const releaseFileNames = ["openapi.json", "openapi.yaml"] as const;
