/**
 * Pinterest API v5 types from any Pinterest release, in your own project: `generate()` reads Pinterest's OpenAPI
 * description (a file or a URL), applies pintoken's corrections (the overlay shipped with this package), writes the
 * types with openapi-typescript for `createPinterestApi<paths>()` of `@pintoken/core/api`, and says what changed
 * since the types it replaces. The command line is `npx @pintoken/codegen <file-or-url> -o src/pinterest.d.ts`.
 *
 * @example
 * ```ts
 * import { readFile, writeFile } from "node:fs/promises";
 * import { formatReport, generate } from "@pintoken/codegen";
 *
 * const previous = await readFile("src/pinterest.d.ts", "utf8").catch(() => undefined);
 * const result = await generate({ source: "openapi.json", previous });
 * await writeFile("src/pinterest.d.ts", result.types);
 * process.stdout.write(formatReport(result, { output: "src/pinterest.d.ts", state: "updated" }));
 * ```
 *
 * @module
 */
export {
  type CorrectedRelease,
  correctRelease,
  type Generated,
  type GenerateOptions,
  generate,
} from "./generate.ts";
export { type ActionResult, OverlayActionError, overlayPath } from "./overlay.ts";
export { formatReport, type OutputState } from "./report.ts";
export { compareTypes, formatTypeChanges, hasTypeChanges, type TypeChanges } from "./type-changes.ts";
