/**
 * Settings every package's vitest config starts from: resolve workspace packages to their TypeScript source (the
 * `@pintoken/source` export condition), so tests never need a build.
 */
export const sourceConditions = {
  resolve: { conditions: ["@pintoken/source"] },
  ssr: { resolve: { conditions: ["@pintoken/source"] } },
};
