import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/**
 * The README's blocks are the files of one small app (`// file: lib/pinterest.ts` is that file, so
 * `@/lib/pinterest` resolves to it), with Node's, React's and Next's types as in a Next.js app.
 */
it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  expect(checkReadme({ packageDir, minimum: 7, compilerOptions: { types: ["node", "react"] } })).toEqual([]);
}, 300_000); // a whole TypeScript program, with React's and Next's types: seconds alone, minutes on a 2-core machine running the whole suite
