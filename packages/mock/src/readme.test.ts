import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

/** Names the README's excerpts use without defining them: what a test file set up above them has. */
const prelude = `
import type { MockPinterest, createMockPinterest as create, mockClient as client } from "@pintoken/mock";
import type { expect as vitestExpect } from "vitest";
declare global {
  const mock: MockPinterest;
  const createMockPinterest: typeof create;
  const mockClient: typeof client;
  const expect: typeof vitestExpect;
  const token: string;
  const refreshToken: string;
}
export {};
`;

it("every code block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  expect(checkReadme({ packageDir, minimum: 7, prelude })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
