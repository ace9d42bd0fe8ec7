/**
 * What @pintoken/react adds to a client bundle: the built package bundled the way an app's bundler would (esbuild,
 * minified, browser, ESM; react, react-dom and react/jsx-runtime external because the app has them anyway), then
 * gzipped at level 9. Deterministic: the same dist gives the same number.
 *
 *   pnpm --filter @pintoken/react run size      (after `pnpm --filter @pintoken/react run build`)
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The budget the size test holds the package to, in bytes (minified + gzipped). */
export const budgetBytes = 2400; // 2,213 B measured with the known-codes filter and the retried sign-out, ~8 % headroom

/** Bundles everything the package exports and returns the minified and gzipped sizes in bytes. */
export async function measureClientSize(): Promise<{ minified: number; gzipped: number }> {
  const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm --filter @pintoken/react run build\` first.`);
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(dist)};`, resolveDir: process.cwd(), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["react", "react-dom", "react/jsx-runtime"],
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzipped } = await measureClientSize();
  console.log(`@pintoken/react adds ${minified} B minified, ${gzipped} B gzipped (budget ${budgetBytes} B gzipped).`);
  if (gzipped > budgetBytes) process.exitCode = 1;
}
