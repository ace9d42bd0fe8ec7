import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { type ReadmeExample, readmeExamples, readmeLine, writeExamples } from "./extract.ts";

/** What {@link checkReadme} needs to know about a package. */
export interface ReadmeCheckOptions {
  /** The package's directory: its `README.md` is checked with its `tsconfig.json`. */
  packageDir: string;
  /**
   * How many `ts`/`tsx` blocks the README has at least, so that a README (or an extraction) that lost its examples
   * cannot pass by checking none.
   */
  minimum: number;
  /**
   * A declaration file (as text) for the names the examples use without defining them, as a reader's app would have
   * them: `declare global { const userId: string }`, `declare module "@/lib/pinterest" { … }`.
   */
  prelude?: string;
  /**
   * Compiler options over the package's `tsconfig.json`, e.g. `types: ["node"]` for examples that run on Node;
   * `paths` are added to `@/*` (a package the examples use beside this one, without depending on it).
   */
  compilerOptions?: ts.CompilerOptions;
}

/**
 * Type-checks every `ts` and `tsx` code block of a package's README against the package's current API, as a reader's
 * app would compile it: the blocks import the package by name (the `@pintoken/source` condition of the package's
 * tsconfig resolves it to `src/`), `@/…` is the README's own app (a block fenced ```` ```ts filename="lib/x.ts" ```` is that
 * file), and a block that imports nothing is checked as an excerpt with the prelude's names in scope. Unused names
 * are allowed; everything else the package's tsconfig forbids is an error.
 *
 * Returns every problem as `README.md:<line>: <message>` (empty when all blocks type-check).
 *
 * @example
 * ```ts
 * import { checkReadme } from "@pintoken/readme-check";
 * import { expect, it } from "vitest";
 *
 * it("every code block of the README type-checks", () => {
 *   const packageDir = new URL("..", import.meta.url).pathname;
 *   expect(checkReadme({ packageDir, minimum: 3, prelude: "declare global { const userId: string }\nexport {};" })).toEqual([]);
 * });
 * ```
 */
export function checkReadme(options: ReadmeCheckOptions): string[] {
  const { packageDir, minimum } = options;
  const examples = readmeExamples(readFileSync(join(packageDir, "README.md"), "utf8"));
  if (examples.length < minimum)
    return [`README.md has ${examples.length} ts/tsx code blocks, expected at least ${minimum}.`];
  const legacy = examples.filter((example) => /^\/\/ file: /.test(example.code));
  if (legacy.length > 0)
    return legacy.map(
      (example) =>
        `README.md:${example.line}: name the file in the fence (\`\`\`tsx filename="app/page.tsx"), not in a "// file:" line.`,
    );
  const scratch = join(packageDir, ".readme-snippets");
  try {
    const files = writeExamples(scratch, examples, options.prelude);
    const config = ts.getParsedCommandLineOfConfigFile(
      join(packageDir, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) return [`${join(packageDir, "tsconfig.json")} cannot be read.`];
    const compilerOptions: ts.CompilerOptions = {
      ...config.options,
      noEmit: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      jsx: ts.JsxEmit.ReactJSX,
      ...options.compilerOptions,
      paths: { "@/*": [join(scratch, "*")], ...options.compilerOptions?.paths },
    };
    const roots = options.prelude === undefined ? files : [join(scratch, "prelude.d.ts"), ...files];
    const program = ts.createProgram(roots, compilerOptions);
    const byFile = new Map(files.map((file, i) => [file, examples[i] as ReadmeExample]));
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      const { file, start } = diagnostic;
      if (!file) return message;
      const example = byFile.get(file.fileName);
      const { line } = file.getLineAndCharacterOfPosition(start ?? 0);
      if (!example) return `${file.fileName}:${line + 1}: ${message}`;
      return `README.md:${readmeLine(example, line)}: ${message}`;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
