/** The API documentation every entry point owes its users: a module comment and an example on every export. */
import { join } from "node:path";
import ts from "typescript";
import type { Manifest } from "./workspace.ts";

/** The source file of each entry point (the `@pintoken/source` condition of the exports map), by subpath. */
export function entryPoints(dir: string, manifest: Manifest): [subpath: string, file: string][] {
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    if (subpath === "./package.json") return [];
    const source = typeof target === "string" ? undefined : target["@pintoken/source"];
    if (!source) throw new Error(`${manifest.name}: exports["${subpath}"] has no "@pintoken/source" condition.`);
    return [[subpath, join(dir, source)]];
  });
}

/**
 * What is undocumented in a package's public API, as sentences: an entry point whose file does not open with a JSDoc
 * `@module` comment, and every export (values and types, re-exports included, followed to their declaration) without
 * a JSDoc `@example`. Empty when everything is documented.
 */
export function undocumentedApi(dir: string, manifest: Manifest): string[] {
  const entries = entryPoints(dir, manifest);
  const program = ts.createProgram(
    entries.map(([, file]) => file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      customConditions: ["@pintoken/source"],
      allowImportingTsExtensions: true,
      jsx: ts.JsxEmit.ReactJSX,
      noEmit: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  for (const [subpath, file] of entries) {
    const entry = `${manifest.name}${subpath.slice(1)}`;
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!source || !module) {
      problems.push(`${entry}: ${file} is not a module`);
      continue;
    }
    if (!/^\s*(?:"use client";\s*)?\/\*\*[\s\S]*?@module[\s\S]*?\*\//.test(source.text))
      problems.push(`${entry}: the entry file does not open with a JSDoc comment tagged @module`);
    for (const exported of checker.getExportsOfModule(module))
      if (!hasExample(checker, exported)) problems.push(`${entry}: ${exported.name} has no JSDoc @example`);
  }
  return problems;
}

/**
 * Whether an export's documentation has an `@example`: on its declaration, or on a re-export statement on the way
 * to it (`/** … @example … *\/ export type { paths } from "./generated.ts"` documents what a generator declared).
 */
function hasExample(checker: ts.TypeChecker, exported: ts.Symbol): boolean {
  let symbol = exported;
  while (symbol.flags & ts.SymbolFlags.Alias) {
    const statement = symbol.declarations?.[0]?.parent?.parent;
    if (statement && ts.isExportDeclaration(statement) && ts.getJSDocTags(statement).some(isExample)) return true;
    symbol = checker.getImmediateAliasedSymbol(symbol) ?? checker.getAliasedSymbol(symbol);
  }
  return symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
}

function isExample(tag: ts.JSDocTag): boolean {
  return tag.tagName.text === "example";
}
