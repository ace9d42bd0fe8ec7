import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { checkReadme } from "./check.ts";

const fence = "```";
const dir = mkdtempSync(join(tmpdir(), "readme-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: { strict: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler" },
  }),
);
const prelude = "declare global {\n  const userId: string;\n}\nexport {};\n";

function readme(...blocks: string[]): void {
  writeFileSync(join(dir, "README.md"), `# fixture\n\n${blocks.join("\n\nSome prose.\n\n")}\n`);
}

it("passes a README whose blocks type-check, resolving @/ to the README's own files", () => {
  readme(
    `${fence}ts filename="lib/greet.ts"\nexport function greet(name: string): string {\n  return name;\n}\n${fence}`,
    `${fence}tsx\nimport { greet } from "@/lib/greet";\nconst unused = greet(userId);\n${fence}`,
    `${fence}ts\nconst userId = 42; // an excerpt's own name shadows the prelude's\nconst doubled: number = userId * 2;\n${fence}`,
    `${fence}sh\nnot typescript at all\n${fence}`,
  );
  expect(checkReadme({ packageDir: dir, minimum: 3, prelude })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite

it("reports each error at its README line, in modules and excerpts alike", () => {
  readme(
    `${fence}ts filename="lib/greet.ts"\nexport function greet(name: string): string {\n  return name;\n}\n${fence}`,
    `${fence}ts\nimport { greet } from "@/lib/greet";\n\ngreet(42);\n${fence}`,
    `${fence}ts\nconst length: number = userId;\n${fence}`,
  );
  const problems = checkReadme({ packageDir: dir, minimum: 3, prelude });
  expect(problems).toEqual([
    expect.stringMatching(/^README\.md:14: Argument of type 'number' is not assignable to parameter of type 'string'/),
    expect.stringMatching(/^README\.md:20: Type 'string' is not assignable to type 'number'/),
  ]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite

it('refuses the old "// file:" line: the fence names the file', () => {
  readme(`${fence}ts\n// file: lib/greet.ts\nexport const greet = 1;\n${fence}`);
  expect(checkReadme({ packageDir: dir, minimum: 1 })).toEqual([
    'README.md:4: name the file in the fence (```tsx filename="app/page.tsx"), not in a "// file:" line.',
  ]);
});

it("fails a README with fewer blocks than expected instead of checking nothing", () => {
  readme(`${fence}sh\necho hello\n${fence}`);
  expect(checkReadme({ packageDir: dir, minimum: 1 })).toEqual([
    "README.md has 0 ts/tsx code blocks, expected at least 1.",
  ]);
});

it("this package's own README example type-checks", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  expect(checkReadme({ packageDir, minimum: 1, compilerOptions: { types: ["node"] } })).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
