import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/** Names the README's examples use without defining them, as a reader would have them. */
const prelude = `
import type { PinterestOAuth, TokenManager, TokenSet as CoreTokenSet } from "@pintoken/core";
declare global {
  type TokenSet = CoreTokenSet;
  const code: string;
  const userId: string;
  const manager: TokenManager;
  const oauth: PinterestOAuth;
  const process: { env: Record<string, string | undefined> };
}
export {};
`;

it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  expect(checkReadme({ packageDir, minimum: 8, prelude, compilerOptions: { types: [] } })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
