/** What a built package imports, against what its package.json declares. */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";
import type { Manifest } from "./workspace.ts";

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/**
 * The specifiers one module imports, exports from, `import()`s or references (`/// <reference types>`), read by
 * TypeScript's pre-processor, so imports inside comments (JSDoc examples) do not count.
 */
export function importsOf(source: string): string[] {
  const { importedFiles, typeReferenceDirectives } = ts.preProcessFile(source, true, true);
  return [
    ...importedFiles.map((file) => file.fileName),
    ...typeReferenceDirectives.map((directive) => `@types/${directive.fileName}`),
  ];
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(packageOf(specifier));
}

/**
 * Every package the built files of `dir` (`dist/**` JavaScript and declarations) import that its manifest does not
 * declare as a dependency or peer dependency: what an install of the package alone would lack. Relative imports,
 * Node built-ins and the package's own name are fine. Each problem reads `dist/file.js imports "x", which package.json
 * does not declare`.
 */
export function undeclaredImports(dir: string, manifest: Manifest): string[] {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const problems: string[] = [];
  for (const file of builtFiles(join(dir, "dist"))) {
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".") || isBuiltin(specifier) || declared.has(packageOf(specifier))) continue;
      problems.push(`${relative(dir, file)} imports "${specifier}", which package.json does not declare`);
    }
  }
  return problems;
}

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => /\.(m|c)?js$|\.d\.(m|c)?ts$/.test(path))
    .map((path) => join(dir, path))
    .sort();
}
