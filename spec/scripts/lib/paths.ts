import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root this checkout of the pipeline lives in. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The paths `layout()` returns. */
export type Layout = ReturnType<typeof layout>;

/** Where each input and output of the pipeline lives, under a repository root. */
export function layout(root: string = repoRoot) {
  const spec = join(root, "spec");
  return {
    root,
    /** Pinterest's published release that spec/upstream was made from, kept as published (JSON or YAML). */
    release: join(spec, "upstream", "pinterest"),
    upstream: join(spec, "upstream", "openapi.yaml"),
    overlay: join(spec, "overlay.yaml"),
    filter: join(spec, "filter.yaml"),
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
  "spec/overlay.yaml",
  "spec/filter.yaml",
  "spec/openapi.yaml",
  "spec/redocly-lint.yaml",
  "packages/core/src/generated",
  "packages/mock/src/generated",
] as const;

/** The file names a kept release may have in `layout().release`: Pinterest publishes both. */
export const releaseFileNames = ["openapi.json", "openapi.yaml"] as const;
