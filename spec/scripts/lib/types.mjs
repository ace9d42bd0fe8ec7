/**
 * The TypeScript types of a corrected description, with openapi-typescript: `paths` and `components` as
 * packages/core/src/generated/openapi.gen.ts holds them. `pnpm generate` calls {@link generateTypes} in process;
 * `pnpm spec:update` runs the same in a worker thread (task "types") while it lints and runs the other generators.
 *
 * This calls openapi-typescript's transform directly, with the context `openapiTS()` builds for our options, instead
 * of `openapiTS()` itself. `openapiTS()` first loads its own Redocly (1.x), lints the description with it and
 * bundles it: about half the work of a run on Pinterest's whole description, and all of it redundant here — the
 * pipeline lints the same description with spec/redocly-lint.yaml (a superset of what openapi-typescript checks,
 * `no-unresolved-refs` and `operation-operationId-unique` included), and the description is one file with local
 * `$ref`s only, which bundling leaves as they are. `types.test.ts` checks that the output is byte for byte what
 * `openapiTS()` makes, on Pinterest's whole release.
 *
 * openapi-typescript's CommonJS build is required, not imported: an ES import of TypeScript (9 MB of CommonJS) makes
 * Node scan its whole source for export names first, which costs more than compiling it.
 */
import { createRequire } from "node:module";
import { serveWorker } from "./worker-task.mjs";

const require = createRequire(import.meta.url);
const dist = "openapi-typescript/dist";
/** @type {typeof import("openapi-typescript")["transformSchema"]} */
const transformSchema = require(`${dist}/transform/index.cjs`);
/** @type {Pick<typeof import("openapi-typescript"), "resolveRef" | "scanDiscriminators">} */
const { resolveRef, scanDiscriminators } = require(`${dist}/lib/utils.cjs`);
/** @type {Pick<typeof import("openapi-typescript"), "astToString">} */
const { astToString } = require(`${dist}/lib/ts.cjs`);

/**
 * The types of `schema`, as `astToString(await openapiTS(schema, { alphabetize: false, silent: true }))` gives them.
 * @param {import("openapi-typescript").OpenAPI3} schema a description this function may change
 * @returns {string}
 */
function typesOf(schema) {
  const options = { alphabetize: false, silent: true };
  /** @type {import("openapi-typescript").GlobalContext} */
  const ctx = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators: scanDiscriminators(schema, options),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    // Only openapiTS() reads this (to lint and bundle); the transform does not.
    redoc: /** @type {import("openapi-typescript").GlobalContext["redoc"]} */ (/** @type {unknown} */ (undefined)),
    silent: true,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => resolveRef(schema, $ref, { silent: true }),
  };
  return astToString(transformSchema(schema, ctx));
}

/**
 * @param {Record<string, unknown>} doc a corrected description (left as it was)
 * @returns {Promise<string>} the TypeScript source
 */
export async function generateTypes(doc) {
  return typesOf(/** @type {import("openapi-typescript").OpenAPI3} */ (/** @type {unknown} */ (structuredClone(doc))));
}

// The worker is given the description as JSON text: cheaper to copy to a thread and parse than a cloned object.
serveWorker("types", async (/** @type {string} */ json) => typesOf(JSON.parse(json)));
