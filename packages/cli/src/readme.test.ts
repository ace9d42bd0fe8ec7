import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { expect, it } from "vitest";

it("every TypeScript block of the README type-checks against the current API", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  expect(checkReadme({ packageDir, minimum: 1, compilerOptions: { types: ["node"] } })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
