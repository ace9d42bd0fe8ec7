import type { Doc } from "./document.ts";

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
      `${source} is OpenAPI ${String(doc.openapi)}; pintoken reads OpenAPI 3.0.x (Pinterest publishes 3.0.3). ` +
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
