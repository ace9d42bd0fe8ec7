import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = join(root, ".readme-snippets");

/** Names the README's examples use without defining them, as a reader would have them. */
const prelude = `
import type { TokenManager } from "@pintoken/core";
declare global {
  const code: string;
  const userId: string;
  const manager: TokenManager;
  const process: { env: Record<string, string | undefined> };
}
export {};
`;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("every usage example in the README type-checks against the current API", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? "")
    .filter((block) => /^import /m.test(block));
  expect(examples.length).toBeGreaterThanOrEqual(2);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, "prelude.d.ts"), prelude);
  const files = examples.map((example, i) => {
    const file = join(scratch, `example-${i + 1}.ts`);
    writeFileSync(file, `${example}\nexport {};\n`);
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const options = { ...config?.options, types: [], noUnusedLocals: false, noEmit: true };
  const program = ts.createProgram([join(scratch, "prelude.d.ts"), ...files], options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.slice(scratch.length + 1)}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
  expect(problems).toEqual([]);
}, 300_000); // a whole TypeScript program: seconds alone, minutes on a 2-core machine running the whole suite
