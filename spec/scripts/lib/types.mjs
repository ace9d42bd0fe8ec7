/**
 * The TypeScript types of a corrected description, with openapi-typescript: `paths` and `components` as
 * packages/core/src/generated/openapi.gen.ts holds them. `pnpm generate` calls {@link generateTypes} in process;
 * `pnpm spec:update` runs the same in a worker thread (task "types") while it lints and runs the other generators.
 */
import openapiTS, { astToString } from "openapi-typescript";
import { serveWorker } from "./worker-task.mjs";

/**
 * openapi-typescript changes the document it is given. It lints with Redocly's "minimal" rules on its own; the
 * pipeline's lint (spec/redocly-lint.yaml) is a separate step.
 * @param {unknown} doc
 */
const typesOf = async (doc) =>
  astToString(
    await openapiTS(/** @type {import("openapi-typescript").OpenAPI3} */ (doc), { alphabetize: false, silent: true }),
  );

/**
 * @param {Record<string, unknown>} doc a corrected description (left as it was)
 * @returns {Promise<string>} the TypeScript source
 */
export function generateTypes(doc) {
  return typesOf(structuredClone(doc));
}

serveWorker("types", (/** @type {string} */ json) => typesOf(JSON.parse(json)));
