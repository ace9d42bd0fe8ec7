/**
 * Type-checks the published declarations (every entry's `types` in package.json's exports, with the declarations of
 * `@pintoken/core` and openapi-fetch that they re-export) against ES2022 alone: no DOM lib, no @types, no Deno or Node types. Every global
 * they need then fails to resolve; each must be on the fixed list of web-standard globals below, which Deno, Bun,
 * Cloudflare Workers, browsers and Node ≥ 20 all provide. A declaration that needs `process`, `Buffer`, `Deno`,
 * `NodeJS`, `window` or anything else off the list fails the build here instead of in a user's project.
 *
 * Run after `pnpm build` (this package's and core's): `deno run --allow-read --allow-env scripts/check-dist-globals.ts`.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The web-standard globals the published types may use. */
export const allowedGlobals: ReadonlySet<string> = new Set([
  "AbortController",
  "AbortSignal",
  "atob",
  "Blob",
  "BodyInit",
  "btoa",
  "crypto",
  "Crypto",
  "CryptoKey",
  "fetch",
  "FormData",
  "Headers",
  "HeadersInit",
  "ReadableStream",
  "Request",
  "RequestInfo",
  "RequestInit",
  "Response",
  "ResponseInit",
  "structuredClone",
  "TextDecoder",
  "TextEncoder",
  "URL",
  "URLSearchParams",
]);

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** The name of the npm package a file belongs to (from the nearest package.json). */
function packageOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = ts.sys.readFile(join(dir, "package.json"));
    if (manifest) return (JSON.parse(manifest) as { name?: string }).name ?? dir;
  }
  return file;
}

/** The declaration files package.json publishes: the `types` of every entry point. */
export function publishedDeclarations(dir: string = packageDir): string[] {
  const manifest = JSON.parse(ts.sys.readFile(join(dir, "package.json")) ?? "{}") as {
    exports?: Record<string, string | Record<string, string>>;
  };
  return Object.values(manifest.exports ?? {}).flatMap((target) =>
    typeof target === "object" && target.types ? [join(dir, target.types)] : [],
  );
}

/** The globals the declarations use that ES2022 does not define, by package. */
export function globalsUsedByDist(entries: readonly string[] = publishedDeclarations()): Map<string, Set<string>> {
  for (const entry of entries)
    if (!ts.sys.fileExists(entry)) throw new Error(`${entry} does not exist: run \`pnpm build\` first.`);
  const program = ts.createProgram(entries, {
    noEmit: true,
    strict: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: [],
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const used = new Map<string, Set<string>>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const span = diagnostic.file?.text.slice(diagnostic.start ?? 0, (diagnostic.start ?? 0) + (diagnostic.length ?? 0));
    // "Cannot find name 'X'" / "…namespace 'X'", or `globalThis.X` on a globalThis that has no X (TS7017).
    const name =
      /^Cannot find (?:name|namespace) '([^']+)'/.exec(text)?.[1] ??
      (diagnostic.code === 7017 ? /^(?:globalThis\.)?(\w+)$/.exec(span ?? "")?.[1] : undefined);
    const where = diagnostic.file ? packageOf(diagnostic.file.fileName) : "(program)";
    if (!name) throw new Error(`Unexpected type error in ${diagnostic.file?.fileName ?? where}: ${text}`);
    used.set(where, (used.get(where) ?? new Set()).add(name));
  }
  return used;
}

if (import.meta.main) {
  const used = globalsUsedByDist();
  let failed = false;
  for (const [pkg, names] of used) {
    const offending = [...names].filter((name) => !allowedGlobals.has(name));
    console.log(`${pkg}: ${[...names].sort().join(", ") || "none"}`);
    if (offending.length) {
      failed = true;
      console.error(`  not a web-standard global on the allowed list: ${offending.join(", ")}`);
    }
  }
  if (failed) {
    console.error(
      "The published types depend on runtime-specific globals. Use web standards only, or type the dependency structurally (see src/kv.ts).",
    );
    Deno.exit(1);
  }
  console.log("The published types need only allowed web-standard globals.");
}
