import { expect, it } from "vitest";
import { exampleSource, readmeExamples, readmeFiles, readmeLine } from "./extract.ts";

const fence = "```";
const readme = [
  "# title", // 1
  "", // 2
  `${fence}ts filename="lib/pinterest.ts"`, // 3
  'export const pinterest = "x";', // 4
  fence, // 5
  "", // 6
  "", // 7
  `${fence}sh`, // 8
  "pnpm add x", // 9
  fence, // 10
  `${fence}tsx`, // 11
  'import { pinterest } from "@/lib/pinterest";', // 12
  "const x = <p>{pinterest}</p>;", // 13
  fence, // 14
  `${fence}ts`, // 15
  "manager.getAccessToken();", // 16
  fence, // 17
].join("\n");

it("finds the ts and tsx blocks with their files, README lines and kinds", () => {
  expect(readmeExamples(readme)).toEqual([
    {
      file: "lib/pinterest.ts",
      filename: "lib/pinterest.ts",
      code: 'export const pinterest = "x";\n',
      line: 4,
      fragment: false,
    },
    {
      file: "example-2.tsx",
      filename: undefined,
      code: 'import { pinterest } from "@/lib/pinterest";\nconst x = <p>{pinterest}</p>;\n',
      line: 12,
      fragment: false,
    },
    { file: "example-3.ts", filename: undefined, code: "manager.getAccessToken();\n", line: 16, fragment: true },
  ]);
});

it('takes a block\'s file from its fence (```ts filename="…"), as a README names a file', () => {
  const named = [`${fence}ts filename="src/pinterest.ts"`, 'export const pinterest = "x";', fence].join("\n");
  expect(readmeExamples(named)).toEqual([
    {
      file: "src/pinterest.ts",
      filename: "src/pinterest.ts",
      code: 'export const pinterest = "x";\n',
      line: 2,
      fragment: false,
    },
  ]);
});

it("writes an excerpt inside a block of its own, and maps its lines back to the README", () => {
  const [, , excerpt] = readmeExamples(readme);
  if (!excerpt) throw new Error("expected three examples");
  expect(exampleSource(excerpt)).toBe("{\nmanager.getAccessToken();\n}\nexport {};\n");
  expect(readmeLine(excerpt, 1)).toBe(16);
});

it("gives the blocks that name their file, of any language, and refuses a file given twice differently", () => {
  const files = readmeFiles(
    [`${fence}sh filename=".env.local"`, "A=1", fence, `${fence}tsx filename="app/page.tsx"`, "export {};", fence].join(
      "\n",
    ),
  );
  expect([...files]).toEqual([
    [".env.local", "A=1\n"],
    ["app/page.tsx", "export {};\n"],
  ]);
  const twice = [`${fence}ts filename="a.ts"`, "1", fence, `${fence}ts filename="a.ts"`, "2", fence].join("\n");
  expect(() => readmeFiles(twice)).toThrow("a.ts is given twice");
});
