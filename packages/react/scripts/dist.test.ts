// @vitest-environment node
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { budgetBytes, measureClientSize } from "./size.ts";

// These read the build (`dist/`): turbo runs `build` before `test` for this package.
describe("the published build", () => {
  it(`adds at most ${budgetBytes} B (minified + gzipped) to a client bundle`, async () => {
    const { minified, gzipped } = await measureClientSize();
    expect(minified).toBeGreaterThan(1000); // it did bundle the package, not an empty module
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  }, 30_000);

  it('keeps "use client" as the first statement of the entry file (React Server Components need it there)', () => {
    const entry = readFileSync(new URL("../dist/index.js", import.meta.url), "utf8");
    expect(entry.startsWith('"use client";\n')).toBe(true);
  });

  it("imports nothing at run time but React", () => {
    const entry = readFileSync(new URL("../dist/index.js", import.meta.url), "utf8");
    const imports = [...entry.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(imports.sort()).toEqual(["react", "react/jsx-runtime"]);
  });

  it("declares the HTTP contract's types itself: the .d.ts imports nothing from @pintoken/next", () => {
    const types = readFileSync(new URL("../dist/index.d.ts", import.meta.url), "utf8");
    expect([...types.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1])).not.toContain(
      "@pintoken/next/contract",
    );
    expect(types).toMatch(/^type SessionJson =/m);
  });
});
