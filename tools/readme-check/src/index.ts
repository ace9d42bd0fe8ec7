/**
 * README code blocks that cannot rot: `checkReadme()` type-checks every `ts`/`tsx` block of a package's README
 * against the package's current API. Every package's `src/readme.test.ts` calls it (Deno's uses `deno check` over
 * the same extraction, from `@pintoken/readme-check/extract`).
 *
 * @example
 * ```ts
 * import { checkReadme } from "@pintoken/readme-check";
 * expect(checkReadme({ packageDir, minimum: 3 })).toEqual([]);
 * ```
 *
 * @module
 */
export { checkReadme, type ReadmeCheckOptions } from "./check.ts";
export {
  exampleSource,
  fenceFilename,
  type ReadmeExample,
  readmeExamples,
  readmeFiles,
  readmeLine,
  writeExamples,
} from "./extract.ts";
