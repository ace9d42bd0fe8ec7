/**
 * Nothing this package runs needs Node or Deno: its module graph (its own files, core's, and openapi-fetch's) has no
 * `node:` or Node built-in import and never touches `process`, `Buffer`, `require` or the `Deno` global (the KV store
 * looks `Deno.openKv` up on `globalThis` and types it structurally). Feature detection that runs everywhere
 * (`typeof process === "object" && process.versions…`, as openapi-fetch does) is allowed.
 */
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { allowedGlobals, globalsUsedByDist, publishedDeclarations } from "../scripts/check-dist-globals.ts";
import { denoCommand, packageDir } from "../test/deno-command.ts";

const runtimeGlobals = new Set(["process", "Buffer", "require", "module", "__dirname", "__filename", "global", "Deno"]);
const nodeBuiltins = new Set(builtinModules);

/** Where a source file imports a Node built-in or uses a runtime-specific global (comments and JSDoc are ignored). */
function runtimeSpecificUses(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) && isModuleSpecifier(node)) {
      if (node.text.startsWith("node:") || nodeBuiltins.has(node.text))
        found.push(`${at(node)} imports "${node.text}"`);
    } else if (ts.isIdentifier(node) && runtimeGlobals.has(node.text) && !isPropertyName(node) && !isGuarded(node)) {
      found.push(`${at(node)} uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isModuleSpecifier(node: ts.StringLiteral): boolean {
  const parent = node.parent;
  return (
    ((ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node) ||
    (ts.isCallExpression(parent) &&
      (parent.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(parent.expression) && parent.expression.text === "require"))) ||
    (ts.isLiteralTypeNode(parent) && ts.isImportTypeNode(parent.parent))
  );
}

/** `x.process`, `{ process: … }`, `interface { Deno?: … }`: a property named like a global, not the global. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) &&
      (ts.isPropertyAccessExpression(parent) ? parent.name : parent.right) === node) ||
    ((ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent)) &&
      parent.name === node)
  );
}

/** `typeof process`, or a use on the right of `typeof process === "object" && …`: safe where there is no process. */
function isGuarded(node: ts.Identifier): boolean {
  const guard = new RegExp(`typeof\\s+${node.text}\\s*[!=]==`);
  for (let child: ts.Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isTypeOfExpression(parent)) return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
      parent.right === child &&
      guard.test(parent.left.getText())
    )
      return true;
  }
  return false;
}

/** The entry points deno.json publishes (the same as package.json's: see manifest.test.ts). */
async function entryPoints(): Promise<string[]> {
  const deno = JSON.parse(await Deno.readTextFile(`${packageDir}deno.json`)) as { exports: Record<string, string> };
  return Object.values(deno.exports);
}

/** Every file the package's entry points load at run time or for their types, as `deno info` resolves them. */
async function moduleGraph(): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of await entryPoints()) {
    const { code, stdout, stderr } = await denoCommand(["info", "--json", entry], {
      env: { DENO_CONDITIONS: "@pintoken/source" },
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const info = JSON.parse(new TextDecoder().decode(stdout)) as { modules: { specifier: string }[] };
    for (const { specifier } of info.modules) if (specifier.startsWith("file:")) files.add(specifier);
  }
  return [...files];
}

Deno.test("the package and everything it loads (core, openapi-fetch) use no Node built-in and no runtime global", async () => {
  const files = await moduleGraph();
  const paths = files.map((file) => fileURLToPath(file));
  for (const entry of await entryPoints()) {
    assert.ok(paths.includes(`${packageDir}${entry.slice(2)}`), `the graph holds the entry point ${entry}`);
  }
  assert.ok(
    paths.some((p) => p.endsWith("/packages/core/src/api.ts")),
    "the graph holds core's API client",
  );
  assert.ok(
    paths.some((p) => p.endsWith("/packages/deno/src/kv-token-store.ts")),
    "the graph holds this package",
  );
  assert.ok(
    paths.some((p) => p.endsWith("/packages/core/src/token-manager.ts")),
    "the graph holds core's source",
  );
  assert.ok(
    paths.some((p) => p.includes("openapi-fetch")),
    "the graph holds openapi-fetch",
  );
  const uses = (await Promise.all(paths.map(async (p) => runtimeSpecificUses(p, await Deno.readTextFile(p))))).flat();
  assert.deepEqual(uses, []);
});

Deno.test("the scan finds Node imports and runtime globals, and ignores comments and property names", () => {
  const uses = runtimeSpecificUses(
    "fixture.ts",
    [
      'import { readFile } from "node:fs/promises";',
      'export * from "crypto";',
      'const os = await import("node:os");',
      "/** process.env.X in a comment is fine */",
      "const secret = process.env.SECRET;",
      'const bytes = Buffer.from("x");',
      "const kv = await Deno.openKv();",
      "const options = { process: 1 }; options.process; type T = { Deno?: unknown };",
      'const node = typeof process === "object" && process.versions?.node;',
      "const fallback = process?.versions ?? typeof process;",
    ].join("\n"),
  );
  assert.deepEqual(uses, [
    'fixture.ts:1 imports "node:fs/promises"',
    'fixture.ts:2 imports "crypto"',
    'fixture.ts:3 imports "node:os"',
    "fixture.ts:5 uses process",
    "fixture.ts:6 uses Buffer",
    "fixture.ts:7 uses Deno",
    "fixture.ts:10 uses process",
  ]);
});

Deno.test("the published-types check reads every entry point's declarations and reports globals off the allowed list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pintoken-dist-" });
  try {
    await Deno.writeTextFile(`${dir}/package.json`, JSON.stringify({ name: "fixture" }));
    await Deno.writeTextFile(
      `${dir}/index.d.ts`,
      [
        "export declare const env: typeof process.env;",
        "export declare function bytes(b: Buffer): Response;",
        "export declare const kv: Deno.Kv;",
        "export declare const fetcher: typeof globalThis.fetch;",
      ].join("\n"),
    );
    const used = globalsUsedByDist([`${dir}/index.d.ts`]).get("fixture") ?? new Set();
    assert.deepEqual([...used].sort(), ["Buffer", "Deno", "Response", "fetch", "process"]);
    assert.deepEqual([...used].filter((name) => !allowedGlobals.has(name)).sort(), ["Buffer", "Deno", "process"]);
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify({ exports: { ".": { types: "./index.d.ts" }, "./extra": { types: "./extra.d.ts" } } }),
    );
    assert.deepEqual(publishedDeclarations(dir), [`${dir}/index.d.ts`, `${dir}/extra.d.ts`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
