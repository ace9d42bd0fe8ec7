/**
 * The README's code blocks type-check against the current API: `@pintoken/codegen` itself, and the typed client of
 * `@pintoken/core/api` (resolved to core's source by a path: codegen does not depend on core) over the types the CLI
 * writes, as a user's `./pinterest` import finds them.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkReadme } from "@pintoken/readme-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { releasePath, removeTemporaryDirs, repoRoot, temporaryDir } from "../test/release.ts";
import { runCli } from "./run-cli.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
let generated: string;
beforeAll(async () => {
  generated = await temporaryDir();
  const err: string[] = [];
  const code = await runCli(
    [await releasePath(), "-o", "src/pinterest.d.ts"],
    { out: () => {}, err: (text) => err.push(text) },
    generated,
  );
  expect(err.join("")).toBe("");
  expect(code).toBe(0);
});
afterAll(removeTemporaryDirs);

it("every code block of the README type-checks against the current API", () => {
  const problems = checkReadme({
    packageDir,
    minimum: 2,
    compilerOptions: {
      types: ["node"],
      // The README's src/pinterest-api.ts imports "./pinterest": the file the CLI wrote in `generated`.
      rootDirs: [join(packageDir, ".readme-snippets"), generated],
      paths: {
        "@/*": [join(packageDir, ".readme-snippets", "*")],
        "@pintoken/core": [join(repoRoot, "packages/core/src/index.ts")],
        "@pintoken/core/api": [join(repoRoot, "packages/core/src/api.ts")],
      },
    },
  });
  expect(problems).toEqual([]);
}, 300_000); // a whole TypeScript program over every operation's types: minutes on a loaded 2-core machine
