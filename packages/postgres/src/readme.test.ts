import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/** Names the README's examples use without defining them, as a reader would have them. */
const prelude = `
declare global {
  const userId: string;
}
export {};
`;

it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  // Node's types: the examples run on Node and use pg, whose types need them.
  expect(checkReadme({ packageDir, minimum: 3, prelude, compilerOptions: { types: ["node"] } })).toEqual([]);
}, 300_000);
