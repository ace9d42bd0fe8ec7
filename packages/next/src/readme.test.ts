import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/**
 * The README's blocks are the files of one small app (a block fenced ```ts filename="lib/pinterest.ts" is that file,
 * so `@/lib/pinterest` resolves to it), with Node's, React's and Next's types as in a Next.js app. `@pintoken/react`,
 * which the app installs beside this package, is its source (it is not a dependency of this package: it depends on
 * this one).
 */
it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const react = fileURLToPath(new URL("../../react/src/index.ts", import.meta.url));
  const compilerOptions = { types: ["node", "react"], paths: { "@pintoken/react": [react] } };
  expect(checkReadme({ packageDir, minimum: 12, compilerOptions })).toEqual([]);
}, 300_000); // a whole TypeScript program, with React's and Next's types: seconds alone, minutes on a 2-core machine running the whole suite
