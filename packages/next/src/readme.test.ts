import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = join(root, ".readme-snippets");

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Every `ts`/`tsx` block of the README is a file of one small app (a block starting with `// file: <path>` is that
 * file, so `@/lib/pinterest` resolves to the README's own `lib/pinterest.ts`), type-checked against the current API.
 */
it("every code example in the README type-checks against the current API", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(tsx?)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({
    lang: lang as string,
    code: code as string,
  }));
  expect(blocks.length).toBeGreaterThanOrEqual(7);
  rmSync(scratch, { recursive: true, force: true });
  const files = blocks.map(({ lang, code }, i) => {
    const named = /^\/\/ file: (\S+)\n/.exec(code)?.[1];
    const file = join(scratch, named ?? `example-${i + 1}.${lang}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const options: ts.CompilerOptions = {
    ...config?.options,
    noUnusedLocals: false,
    noEmit: true,
    jsx: ts.JsxEmit.ReactJSX,
    types: ["node", "react"],
    baseUrl: scratch,
    paths: { "@/*": ["./*"] },
  };
  const program = ts.createProgram(files, options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName.slice(scratch.length + 1)}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
  expect(problems).toEqual([]);
}, 300_000); // a whole TypeScript program, with React's and Next's types: seconds on a busy 2-core machine
