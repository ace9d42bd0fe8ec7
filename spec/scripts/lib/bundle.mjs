/**
 * `pnpm spec:update` runs as two plain-JavaScript bundles made by esbuild: the pipeline (scripts/spec-update.ts and
 * everything it imports) and the lint worker (lint.mjs with Redocly). Loading them costs a fraction of loading the
 * same code module by module: no TypeScript loader on the main thread, and one file instead of Redocly's 250.
 *
 * The bundles are a cache, in spec/node_modules/.cache/spec-update/, made on the first run and again whenever one of
 * their source files (ours or a dependency's) or pnpm-lock.yaml changed: every run compares the size and mtime of
 * each file the bundles were made from. Making them takes about a second; so does the first run after an install or
 * a change to the pipeline. Concurrent runs are safe: each build goes to a directory of its own, and the manifest
 * naming the current one is replaced atomically.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const scripts = fileURLToPath(new URL("..", import.meta.url));
const spec = resolve(scripts, "..");
/** Where the bundles are kept (a cache: deleting it is always safe). */
export const bundleCacheDir = join(spec, "node_modules", ".cache", "spec-update");
const lockfile = resolve(spec, "..", "pnpm-lock.yaml");

/** The bundles' entry points (what each bundle exports is what the entry exports). */
const entries = { main: join(scripts, "spec-update.ts"), lint: join(scripts, "lib", "lint.mjs") };

/**
 * @typedef {object} PipelineBundles
 * @property {URL} main the pipeline: exports `specUpdateCli`
 * @property {URL} lint the lint worker's module
 * @property {{ start: number, end: number } | undefined} built when this run made the bundles (ms since the process
 *   started); `undefined` when they were up to date
 */

/** @typedef {{ dir: string, files: [path: string, size: number, mtimeMs: number][] }} Manifest */

/** @param {string} path */
const stamp = (path) => {
  const { size, mtimeMs } = statSync(path);
  return /** @type {const} */ ([size, mtimeMs]);
};

/**
 * The bundles to run: the cached ones when every file they were made from is unchanged, else new ones.
 * @param {{ cacheDir?: string }} [options] where to keep them (default: {@link bundleCacheDir})
 * @returns {Promise<PipelineBundles>}
 */
export async function pipelineBundles({ cacheDir = bundleCacheDir } = {}) {
  const bundlesIn = (/** @type {string} */ dir) => ({
    main: pathToFileURL(join(cacheDir, dir, "main.mjs")),
    lint: pathToFileURL(join(cacheDir, dir, "lint.mjs")),
  });
  const current = upToDate(cacheDir);
  if (current) return { ...bundlesIn(current), built: undefined };
  const start = performance.now();
  const dir = await build(cacheDir);
  return { ...bundlesIn(dir), built: { start, end: performance.now() } };
}

/** @param {string} cacheDir */
const manifestIn = (cacheDir) => join(cacheDir, "manifest.json");

/**
 * The directory of the cached bundles if none of their sources changed.
 * @param {string} cacheDir
 */
function upToDate(cacheDir) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestIn(cacheDir), "utf8"));
    for (const [path, size, mtimeMs] of manifest.files) {
      const [nowSize, nowMtime] = stamp(path);
      if (nowSize !== size || nowMtime !== mtimeMs) return undefined;
    }
  } catch {
    return undefined; // no manifest yet, or a source file is gone
  }
  return manifest.dir;
}

/**
 * Each module keeps its own `import.meta.url` (the file it came from), so that paths computed from it (the
 * repository root, the worker modules, `createRequire`) are what they are when the module runs unbundled.
 * @type {import("esbuild").Plugin}
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      return {
        contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href)),
        loader: /\.[cm]?ts$/.test(path) ? "ts" : "js",
      };
    });
  },
};

/**
 * Makes both bundles in a new directory, then points the manifest at it; returns the directory's name.
 * @param {string} cacheDir
 */
async function build(cacheDir) {
  const esbuild = await import("esbuild");
  const staging = join(cacheDir, `.build-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    const result = await esbuild.build({
      entryPoints: entries,
      outdir: staging,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // CommonJS dependencies inside an ES module bundle call `require` for Node's built-ins.
      banner: {
        js: 'import { createRequire as __bundleRequire } from "node:module";\nconst require = __bundleRequire(import.meta.url);',
      },
      metafile: true,
      logLevel: "silent",
      plugins: [ownImportMetaUrl],
    });
    const sources = Object.keys(result.metafile.inputs).map((input) => resolve(input));
    /** @type {Manifest["files"]} */
    const files = [...sources, lockfile].flatMap((path) => {
      try {
        return [[path, ...stamp(path)]];
      } catch {
        return []; // a checkout without pnpm-lock.yaml
      }
    });
    const hash = createHash("sha256");
    for (const name of ["main.mjs", "lint.mjs"]) hash.update(readFileSync(join(staging, name)));
    const dir = `bundle-${hash.digest("hex").slice(0, 16)}`;
    try {
      renameSync(staging, join(cacheDir, dir));
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another run made the same bundles first
    }
    const temporary = `${manifestIn(cacheDir)}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ dir, files }));
    renameSync(temporary, manifestIn(cacheDir));
    removeOldBundles(cacheDir, dir);
    return dir;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not bundle the spec:update pipeline: ${/** @type {Error} */ (error).message}`, {
      cause: error,
    });
  }
}

/**
 * Removes bundles other than `keep` that are older than an hour (a run that started earlier may still be loading
 * from one).
 * @param {string} cacheDir
 * @param {string} keep
 */
function removeOldBundles(cacheDir, keep) {
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || name === "manifest.json" || name.endsWith(".tmp")) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another run
    }
  }
}
