import { describe, expect, it } from "vitest";
import { importsOf, packageOf } from "./imports.ts";

describe("packageOf", () => {
  it.each([
    ["@pintoken/core/api", "@pintoken/core"],
    ["jose", "jose"],
    ["next/server", "next"],
  ])("%s → %s", (specifier, name) => expect(packageOf(specifier)).toBe(name));
});

it("reads imports, re-exports, dynamic imports and type references, not imports in comments", () => {
  const source = `/// <reference types="react" />
/** @example import { nope } from "in-a-comment"; */
import { a } from "jose";
export { b } from "./chunk.js";
export * from "@pintoken/core";
const c = await import("next/headers");
`;
  expect(importsOf(source).sort()).toEqual(["./chunk.js", "@pintoken/core", "@types/react", "jose", "next/headers"]);
});
