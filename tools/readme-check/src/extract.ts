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
   * The file the block becomes, relative to the scratch directory: the block's `filename` when its fence names one
   * (```` ```tsx filename="app/layout.tsx" ````, the Next.js docs convention, so `@/lib/pinterest` finds the README's
   * own `lib/pinterest.ts`), else `example-<n>.<lang>`.
   */
  file: string;
  /** The `filename="…"` of the block's fence, if any: the block is that file of the reader's app. */
  filename: string | undefined;
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

/** The `filename="…"` attribute of a fence's info string (`tsx filename="app/page.tsx"`), if any. */
export function fenceFilename(info: string): string | undefined {
  return /(?:^|\s)filename="([^"]+)"/.exec(info)?.[1];
}

/** Every `ts` and `tsx` block of `readme`, in order. */
export function readmeExamples(readme: string): ReadmeExample[] {
  return [...readme.matchAll(/^```(tsx?)((?:[ \t][^\n]*)?)\n([\s\S]*?)^```$/gm)].map((match, i) => {
    const [, lang = "ts", info = "", code = ""] = match;
    const filename = fenceFilename(info);
    return {
      file: filename ?? `example-${i + 1}.${lang}`,
      filename,
      code,
      line: readme.slice(0, match.index).split("\n").length + 1,
      fragment: !filename && !/^import /m.test(code),
    };
  });
}

/**
 * The blocks of a README that name their file (of any language: `ts`, `tsx`, `sh`, `ini`…), by file name: the files
 * of the reader's app, as the README gives them. A file named twice must be given the same way both times.
 */
export function readmeFiles(readme: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of readme.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const [, info = "", code = ""] = match;
    const filename = fenceFilename(info);
    if (!filename) continue;
    const earlier = files.get(filename);
    if (earlier !== undefined && earlier !== code)
      throw new Error(`${filename} is given twice, differently: a README names each file once (or the same way).`);
    files.set(filename, code);
  }
  return files;
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
