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
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
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
  const manifest = readManifest(cacheDir);
  if (manifest && isUpToDate(manifest)) return { ...bundlesIn(manifest.dir), built: undefined };
  const start = performance.now();
  const dir = await build(cacheDir, manifest?.dir);
  return { ...bundlesIn(dir), built: { start, end: performance.now() } };
}

/** @param {string} cacheDir */
const manifestIn = (cacheDir) => join(cacheDir, "manifest.json");

/**
 * @param {string} cacheDir
 * @returns {Manifest | undefined}
 */
function readManifest(cacheDir) {
  try {
    return JSON.parse(readFileSync(manifestIn(cacheDir), "utf8"));
  } catch {
    return undefined; // no bundles yet
  }
}

/**
 * Whether none of the files the bundles were made from changed (or went away) since.
 * @param {Manifest} manifest
 */
function isUpToDate(manifest) {
  try {
    return manifest.files.every(([path, size, mtimeMs]) => {
      const [nowSize, nowMtime] = stamp(path);
      return nowSize === size && nowMtime === mtimeMs;
    });
  } catch {
    return false;
  }
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
 * @param {string | undefined} previous the directory the manifest named until now
 */
async function build(cacheDir, previous) {
  const esbuild = await import("esbuild");
  const started = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, ".build-"));
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
    } catch (error) {
      if (!existsSync(join(cacheDir, dir, "lint.mjs"))) throw error;
      rmSync(staging, { recursive: true, force: true }); // another run made the same bundles first
    }
    // A source saved while esbuild read it may be in the bundle as it was before: then this run uses the bundles,
    // and the next one makes them again.
    if (files.every(([, , mtimeMs]) => mtimeMs < started - 2_000)) {
      const temporary = `${manifestIn(cacheDir)}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ dir, files }));
      renameSync(temporary, manifestIn(cacheDir));
    }
    removeOldBundles(cacheDir, [dir, previous]);
    return dir;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Could not bundle the spec:update pipeline into ${cacheDir}: ${/** @type {Error} */ (error).message}\n` +
        "Fix the error in the file it names, or check that the directory is writable and that `pnpm install` ran.",
      { cause: error },
    );
  }
}

/**
 * Removes what the cache holds besides the manifest and the bundles in `keep` (the new ones, and the ones the manifest
 * named until now, which a run that started meanwhile may be loading), once it is an hour old: older bundles, and
 * what a run that was stopped while bundling left behind.
 * @param {string} cacheDir
 * @param {(string | undefined)[]} keep
 */
function removeOldBundles(cacheDir, keep) {
  for (const name of readdirSync(cacheDir)) {
    if (name === "manifest.json" || keep.includes(name)) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another run
    }
  }
}
