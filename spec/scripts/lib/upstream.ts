import { type Doc, toYaml } from "./document.ts";

/**
 * Throws a clear error unless `doc` looks like an OpenAPI 3.0.x description (what Pinterest publishes: 3.0.3):
 * an `openapi: 3.0.x` field, `info.version` and a non-empty `paths` object.
 */
export function assertOpenApi30(doc: Doc, source: string): void {
  const fix = "Pass Pinterest's description (v5/openapi.json or v5/openapi.yaml from pinterest/api-description).";
  if (typeof doc.swagger === "string") {
    throw new Error(`${source} is a Swagger ${doc.swagger} document, not OpenAPI 3.0.x. ${fix}`);
  }
  if (typeof doc.overlay === "string") {
    throw new Error(`${source} is an OpenAPI Overlay, not an OpenAPI description. ${fix}`);
  }
  if (doc.openapi === undefined) {
    throw new Error(`${source} does not look like an OpenAPI description: it has no \`openapi\` field. ${fix}`);
  }
  if (typeof doc.openapi !== "string" || !/^3\.0\.\d+$/.test(doc.openapi)) {
    throw new Error(
      `${source} is OpenAPI ${String(doc.openapi)}; the pipeline reads OpenAPI 3.0.x (Pinterest publishes 3.0.3). ` +
        "If Pinterest moved to a newer OpenAPI version, the overlay, filter and generators must be checked first.",
    );
  }
  const info = doc.info as { version?: unknown } | undefined;
  if (typeof info?.version !== "string" && typeof info?.version !== "number") {
    throw new Error(`${source} has no info.version: it is not a complete OpenAPI description. ${fix}`);
  }
  const paths = doc.paths;
  if (paths === null || typeof paths !== "object" || Object.keys(paths).length === 0) {
    throw new Error(`${source} has no paths: it is not a complete OpenAPI description. ${fix}`);
  }
}

/**
 * The comment block at the top of spec/upstream/openapi.yaml. It names the release by its `info.version` and the
 * SHA-256 of the file's bytes, never by where the file was read from, so the same release gives the same bytes from
 * any path or URL, and re-runs are idempotent.
 */
export function upstreamHeader({ version, sha256, all }: { version: string; sha256: string; all: boolean }): string[] {
  return [
    all
      ? "Pinterest's OpenAPI description as published, with every operation (`pnpm spec:update --all`)."
      : "Pinterest's OpenAPI description as published, filtered to the operations in spec/filter.yaml.",
    `Release: info.version ${version}, sha256 ${sha256} (kept beside this file in pinterest/).`,
    "Written by `pnpm spec:update <file-or-url>`: do not edit; correct upstream's quirks in spec/overlay.yaml.",
  ];
}

/** The text of spec/upstream/openapi.yaml for the operations kept of a release. */
export function renderUpstream(
  kept: Doc,
  { version, sha256, all }: { version: string; sha256: string; all: boolean },
): string {
  return toYaml(kept, upstreamHeader({ version, sha256, all }));
}
