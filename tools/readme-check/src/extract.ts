/**
 * The TypeScript code blocks of a README, as files to type-check. No TypeScript import here, so that Deno (whose
 * README test checks with `deno check`) shares this part with the Node packages.
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One `ts` or `tsx` code block of a README. */
export interface ReadmeExample {
  /**
   * The file the block becomes, relative to the scratch directory: the fence's `filename="<path>"` (```` ```ts
   * filename="lib/pinterest.ts" ````), or the path of its first line when that line is `// file: <path>` (so
   * `@/lib/pinterest` finds the README's own `lib/pinterest.ts`), else `example-<n>.<lang>`.
   */
  file: string;
  /** The block's code, without the fences. */
  code: string;
  /** The README line (1-based) of the block's first code line. */
  line: number;
  /**
   * A block that imports nothing and names no file is an excerpt of a longer program: it is checked inside a block
   * statement of its own, with the prelude's global names in scope, so that its declarations shadow them.
   */
  fragment: boolean;
}

/** Every `ts` and `tsx` block of `readme`, in order. */
export function readmeExamples(readme: string): ReadmeExample[] {
  return [...readme.matchAll(/^```(tsx?)(?: filename="([^"]+)")?\n([\s\S]*?)^```$/gm)].map((match, i) => {
    const [, lang = "ts", filename, code = ""] = match;
    const named = filename ?? /^\/\/ file: (\S+)\n/.exec(code)?.[1];
    return {
      file: named ?? `example-${i + 1}.${lang}`,
      code,
      line: readme.slice(0, match.index).split("\n").length + 1,
      fragment: !named && !/^import /m.test(code),
    };
  });
}

/** The text a block is checked as: a module, or, for a fragment, a module holding the fragment in a block. */
export function exampleSource(example: ReadmeExample): string {
  return example.fragment ? `{\n${example.code}}\nexport {};\n` : `${example.code}\nexport {};\n`;
}

/** The README line of line `fileLine` (0-based) of the file written for `example`. */
export function readmeLine(example: ReadmeExample, fileLine: number): number {
  return example.line + fileLine - (example.fragment ? 1 : 0);
}

/**
 * Writes each example to its file under `dir` (emptied first), and the prelude, if any, to `dir/prelude.d.ts`.
 * Returns the absolute path of each example's file, in order.
 */
export function writeExamples(dir: string, examples: readonly ReadmeExample[], prelude?: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (prelude !== undefined) writeFileSync(join(dir, "prelude.d.ts"), prelude);
  return examples.map((example) => {
    const file = join(dir, example.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, exampleSource(example));
    return file;
  });
}
