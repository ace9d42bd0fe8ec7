// @vitest-environment node
import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/** Names the README's examples use without defining them, as a reader's app would have them. */
const prelude = `
declare module "@/lib/pinterest" {
  /** The app's @pintoken/next instance (its getSession() answers session JSON). */
  export const pinterest: { getSession(): Promise<import("@pintoken/react").SessionJson> };
}
declare function render(state: import("@pintoken/react").PinterestAuth): void;
`;

it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  // The Next.js layout imports `next`'s types, as an app has them: from @pintoken/next's copy (this package has none).
  const next = fileURLToPath(new URL("../../next/node_modules/next", import.meta.url));
  const compilerOptions = { types: [], paths: { next: [next] } };
  expect(checkReadme({ packageDir, minimum: 5, prelude, compilerOptions })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
