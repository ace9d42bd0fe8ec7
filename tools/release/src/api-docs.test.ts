import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { undocumentedApi } from "./api-docs.ts";
import { publishablePackages, readManifest } from "./workspace.ts";

describe.each(publishablePackages())("$name", ({ dir }) => {
  it("opens every entry point with a @module comment and gives every export a JSDoc @example", () => {
    expect(undocumentedApi(dir, readManifest(dir))).toEqual([]);
  }, 300_000); // a TypeScript program over the package's source: seconds alone, minutes on a loaded 2-core machine
});

it("names every entry point without a @module comment and every export without an @example (a fixture)", () => {
  const dir = fileURLToPath(new URL("../test/fixtures/api-docs", import.meta.url));
  expect(undocumentedApi(dir, readManifest(dir))).toEqual([
    "@fixture/api-docs: noExample has no JSDoc @example",
    "@fixture/api-docs: Undocumented has no JSDoc @example",
    "@fixture/api-docs: AlsoGenerated has no JSDoc @example",
    "@fixture/api-docs/bare: the entry file does not open with a JSDoc comment tagged @module",
  ]);
}, 300_000);
