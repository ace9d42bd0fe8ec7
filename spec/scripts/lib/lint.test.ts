import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../packages/codegen/src/document.ts";
import { countByRule, formatProblems, lintDescription } from "./lint.ts";
import { layout } from "./paths.ts";

describe("lintDescription on spec/openapi.yaml (what `pnpm lint` in spec/ runs)", () => {
  it("finds no error, and counts every warning past the 100 that `redocly lint` lists", async () => {
    const paths = layout();
    const text = await readFile(paths.openapi, "utf8");
    const { errors, warnings } = await lintDescription({
      text,
      doc: parseDocument(text, paths.openapi),
      path: paths.openapi,
      configPath: paths.lintConfig,
    });
    expect(errors).toEqual([]);
    expect(warnings.length).toBeGreaterThan(100);
    expect(countByRule(warnings).reduce((sum, [, n]) => sum + n, 0)).toBe(warnings.length);
    expect(formatProblems(warnings, 10).at(-1)).toBe(`  … and ${warnings.length - 10} more`);
  });

  it("says which file of rules it could not read", async () => {
    const paths = layout();
    await expect(
      lintDescription({ text: "{}", doc: {}, path: paths.openapi, configPath: `${paths.lintConfig}.missing` }),
    ).rejects.toThrow(`Could not read the lint rules in ${paths.lintConfig}.missing`);
  });
});
