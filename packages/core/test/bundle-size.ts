/**
 * What a browser app pays for an import: the min+gzip size of an esbuild bundle of an entry module. One function for
 * every contender, used by core's size test (the budgets) and by `pnpm bench` (next to the peer libraries).
 */
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

export interface BundleSize {
  /** Bytes of the minified bundle. */
  minified: number;
  /** Bytes of the minified bundle after gzip (level 9). */
  gzipped: number;
  /** Minified bytes each input module contributes, largest first (paths relative to `resolveDir`). */
  modules: { path: string; minified: number }[];
}

/**
 * Bundles `entry` (an ES module's source, e.g. `export { x } from "pkg"`) for the browser with esbuild, as an app
 * would: tree-shaken, minified, ES2022, resolving workspace packages to their source. Deterministic. `plugins` (esbuild
 * plugins) change what is bundled, for experiments such as `bench/size-floor.ts`.
 */
export async function bundleSize(entry: string, resolveDir: string, plugins: Plugin[] = []): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@pintoken/source"],
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins,
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const modules = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path, input]) => ({ path, minified: input.bytesInOutput })),
  );
  modules.sort((a, b) => b.minified - a.minified);
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, modules };
}

/**
 * The size budgets of @pintoken/core (min+gzip bytes): the test suite fails when one is exceeded. A budget guards
 * against growth, with about 10 % headroom over the size when it was last set; it is never a reason to write a line
 * less clearly. `pnpm bench` prints each size beside its budget.
 */
export const coreBudgets = [
  {
    name: "createPinterestOAuth alone",
    entry: 'export { createPinterestOAuth } from "@pintoken/core";',
    budget: 5_650,
  },
  {
    name: "OAuth client + token manager + memory store + authorized fetch",
    entry:
      'export { createPinterestOAuth, createTokenManager, MemoryTokenStore, createAuthorizedFetch } from "@pintoken/core";',
    budget: 10_400,
  },
  {
    name: "@pintoken/core/crypto: keys from secrets",
    entry: 'export { checkSecrets, createKeyRing } from "@pintoken/core/crypto";',
    budget: 1_100,
  },
] as const;
