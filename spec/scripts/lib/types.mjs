/**
 * The TypeScript types of a corrected description, with openapi-typescript: `paths` and `components` as
 * packages/core/src/generated/openapi.gen.ts holds them. `pnpm generate` calls {@link generateTypes} in process;
 * `pnpm spec:update` runs the same in a worker thread (task "types") while it lints and runs the other generators.
 */
import { createRequire } from "node:module";
import openapiTS, { astToString } from "openapi-typescript";
import { serveWorker } from "./worker-task.mjs";

// openapi-typescript lints what it reads with Redocly's "minimal" rules unless given a Redocly config. The
// pipeline lints the same description with spec/redocly-lint.yaml (a superset), so give it a config without rules:
// the one Redocly that openapi-typescript itself depends on (1.x; the pipeline's lint uses 2.x).
const redocly = createRequire(import.meta.resolve("openapi-typescript"))("@redocly/openapi-core");
const withoutRules = redocly.createConfig({}, { extends: [] });

/**
 * @param {unknown} description the description, or its JSON text; openapi-typescript changes an object it is given
 */
const typesOf = async (description) =>
  astToString(
    await openapiTS(/** @type {import("openapi-typescript").OpenAPI3 | string} */ (description), {
      alphabetize: false,
      silent: true,
      redocly: await withoutRules,
    }),
  );

/**
 * @param {Record<string, unknown>} doc a corrected description (left as it was)
 * @returns {Promise<string>} the TypeScript source
 */
export function generateTypes(doc) {
  return typesOf(structuredClone(doc));
}

// The worker is given the description as JSON text, which openapi-typescript parses itself.
serveWorker("types", (/** @type {string} */ json) => typesOf(json));
