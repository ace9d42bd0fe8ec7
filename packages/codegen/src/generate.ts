import { isAbsolute, resolve } from "node:path";
import { type Doc, loadDocument, parseDocument, readSource } from "./document.ts";
import { filterOperations, operations } from "./filter.ts";
import { type ActionResult, applyOverlay, loadOverlay } from "./overlay.ts";
import { assertOpenApi30 } from "./release.ts";
import { compareTypes, type TypeChanges } from "./type-changes.ts";
import { generateTypes, versionOf } from "./types.ts";

/**
 * What {@link generate} reads: a Pinterest release, and optionally which of its operations to keep.
 *
 * @example
 * ```ts
 * const options: GenerateOptions = { source: "openapi.json", operations: ["boards/list", "pins/get"] };
 * ```
 */
export interface GenerateOptions {
  /** Pinterest's OpenAPI description: a file (JSON or YAML; relative to `cwd`) or an http(s) URL. */
  readonly source: string;
  /** Where a relative `source` is resolved from. Default: the current directory. */
  readonly cwd?: string | undefined;
  /** Keep only these operations (by operationId) and what they use. Default: every operation. */
  readonly operations?: readonly string[] | undefined;
  /** The types this run replaces (a file's content), to report what changed. */
  readonly previous?: string | undefined;
  /** Another overlay file to apply instead of pintoken's (pintoken's own repository passes its working copy). */
  readonly overlay?: string | undefined;
}

/**
 * A release read, checked and corrected: what every generator of pintoken's pipeline starts from.
 *
 * @example
 * ```ts
 * const { doc, version, overlay } = await correctRelease({ source: "openapi.json" });
 * ```
 */
export interface CorrectedRelease {
  /** The URL, or the absolute path of the file read. */
  readonly source: string;
  /** The release's `info.version`. */
  readonly version: string;
  /** SHA-256 of the bytes read. */
  readonly sha256: string;
  /** The release's text, as read. */
  readonly text: string;
  /** The corrected description (the operations kept, and pintoken's overlay applied). */
  readonly doc: Doc;
  /** Every overlay action, and whether it changed this release or found it already corrected. */
  readonly overlay: ActionResult[];
  readonly kept: { operations: number; totalOperations: number; schemas: number; totalSchemas: number };
}

/**
 * What {@link generate} made: the corrected release, its types, and what changed since the `previous` types.
 *
 * @example
 * ```ts
 * const { types, version, changes } = await generate({ source: "openapi.json" });
 * ```
 */
export interface Generated extends CorrectedRelease {
  /** The types file's content (openapi-typescript's output under a header naming the release). */
  readonly types: string;
  /** The release the previous types were made from, when they say. */
  readonly previousVersion: string | undefined;
  /** What changed since the previous types (everything is added when there were none). */
  readonly changes: TypeChanges;
}

const schemaCount = (doc: Doc) =>
  Object.keys((doc.components as { schemas?: object } | undefined)?.schemas ?? {}).length;

/**
 * Reads a Pinterest release (a file or an http(s) URL, JSON or YAML), checks that it is OpenAPI 3.0.x, applies
 * pintoken's overlay, and keeps the operations asked for (all by default) and what they reach. An overlay action whose
 * target is gone stops it with an `OverlayActionError` that names the action.
 *
 * @example
 * ```ts
 * const { doc } = await correctRelease({ source: "https://example.com/openapi.json", operations: ["boards/list"] });
 * ```
 */
export async function correctRelease(options: GenerateOptions): Promise<CorrectedRelease> {
  const isUrl = /^https?:\/\//.test(options.source);
  const source = isUrl || isAbsolute(options.source) ? options.source : resolve(options.cwd ?? ".", options.source);
  const [{ text, sha256 }, overlayDoc] = await Promise.all([
    readSource(source),
    options.overlay === undefined ? loadOverlay() : loadDocument(options.overlay),
  ]);
  const release = parseDocument(text, source);
  assertOpenApi30(release, source);
  // The overlay corrects the whole release (its actions name what they correct, kept or not), then what was asked for
  // is kept.
  const { doc: corrected, actions } = await applyOverlay(release, overlayDoc);
  const doc = filterOperations(corrected, options.operations);
  return {
    source,
    version: String((release.info as { version: unknown }).version),
    sha256,
    text,
    doc,
    overlay: actions,
    kept: {
      operations: operations(doc).length,
      totalOperations: operations(release).length,
      schemas: schemaCount(doc),
      totalSchemas: schemaCount(release),
    },
  };
}

/**
 * Generates Pinterest API types from a release with pintoken's corrections: what `npx @pintoken/codegen` writes, and
 * what pintoken's own `pnpm spec:update` generates for `@pintoken/core`. Writes nothing.
 *
 * @example
 * ```ts
 * import { readFile, writeFile } from "node:fs/promises";
 * import { formatReport, generate } from "@pintoken/codegen";
 *
 * const previous = await readFile("src/pinterest.d.ts", "utf8").catch(() => undefined);
 * const result = await generate({ source: "openapi.json", previous });
 * await writeFile("src/pinterest.d.ts", result.types);
 * console.log(formatReport(result, { output: "src/pinterest.d.ts" }));
 * ```
 */
export async function generate(options: GenerateOptions): Promise<Generated> {
  const corrected = await correctRelease(options);
  const types = await generateTypes(corrected.doc);
  return {
    ...corrected,
    types,
    previousVersion: options.previous === undefined ? undefined : versionOf(options.previous),
    changes: compareTypes(options.previous, types),
  };
}
