/**
 * Helpers shared by the spec pipeline's tests: the Pinterest release kept in spec/upstream/pinterest/, temporary
 * repository copies, file snapshots and changed copies of the release.
 */
import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { type Doc, parseDocument, readSource } from "../../packages/codegen/src/document.ts";
import { layout, pipelineFiles, releaseFileNames, repoRoot } from "../scripts/lib/paths.ts";

const run = promisify(execFile);

/** The real repository's paths. */
export const repo = layout(repoRoot);

/** The Pinterest release kept in `<root>/spec/upstream/pinterest/` (JSON or YAML, whichever is there). */
export async function releasePath(root = repoRoot): Promise<string> {
  const dir = layout(root).release;
  const names = (await readdir(dir)).filter((name) => (releaseFileNames as readonly string[]).includes(name));
  if (names.length !== 1)
    throw new Error(`Expected one Pinterest release in ${dir}, found ${names.join(", ") || "none"}.`);
  return join(dir, names[0] as string);
}

/** The kept release, parsed (a fresh copy each call), with its text and SHA-256. */
export async function loadRelease(): Promise<{ path: string; doc: Doc; text: string; sha256: string }> {
  const path = await releasePath();
  const { text, sha256 } = await readSource(path);
  return { path, doc: parseDocument(text, path), text, sha256 };
}

const temporaryDirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTemporaryDirs}. */
export async function temporaryDir(prefix = "pintoken-spec-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Removes every directory made by {@link temporaryDir} (call in afterAll). */
export async function removeTemporaryDirs(): Promise<void> {
  await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temporary repository root holding a copy of the real pipeline inputs and generated outputs. */
export async function temporaryRepo(): Promise<string> {
  const root = await temporaryDir("pintoken-spec-repo-");
  for (const path of pipelineFiles) await cp(join(repoRoot, path), join(root, path), { recursive: true });
  return root;
}

/**
 * A temporary copy of the whole workspace that can build and type-check: the checkout's files as git sees them
 * (tracked, and new files not ignored: never the builds, caches or test apps other tasks write meanwhile), each
 * package's node_modules as the symlinks pnpm made (relative, so workspace links point into the copy), and the root
 * node_modules as a symlink to this checkout's.
 */
export async function temporaryWorkspace(): Promise<string> {
  const root = await temporaryDir("pintoken-spec-workspace-");
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    // A tracked file deleted in this checkout is not part of it.
    await copyFile(join(repoRoot, file), join(root, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
  for (const dir of await workspacePackageDirs(repoRoot)) {
    const modules = join(repoRoot, dir, "node_modules");
    await cp(modules, join(root, dir, "node_modules"), { recursive: true, verbatimSymlinks: true }).catch(() => {});
  }
  await symlink(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

/** The directories of the workspace's packages (pnpm-workspace.yaml's `packages`, one level of `*` globs). */
export async function workspacePackageDirs(root: string): Promise<string[]> {
  const manifest = parseDocument(await readFile(join(root, "pnpm-workspace.yaml"), "utf8"));
  const dirs: string[] = [];
  for (const pattern of (manifest.packages ?? []) as string[]) {
    if (!pattern.endsWith("/*")) {
      dirs.push(pattern);
      continue;
    }
    const parent = pattern.slice(0, -2);
    for (const entry of await readdir(join(root, parent), { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
    }
  }
  const withManifest = await Promise.all(
    dirs.map(async (dir) => ((await readFile(join(root, dir, "package.json")).catch(() => undefined)) ? dir : "")),
  );
  return withManifest.filter(Boolean);
}

/** The content of every file under a directory, by path relative to it. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(root, path), await readFile(path, "utf8"));
    }
  };
  await walk(root);
  return files;
}

/** Reads a file of the real repository. */
export const readRepoFile = (path: string) => readFile(join(repoRoot, path), "utf8");

/**
 * Writes a changed copy of the kept release as `<dir>/openapi.json` and returns its path: how the tests stand in for
 * another release (one that removed a property, fixed a quirk, …) without writing a description by hand.
 */
export async function releaseVariant(change: (doc: Doc) => void): Promise<string> {
  const { doc } = await loadRelease();
  change(doc);
  const dir = await temporaryDir("pintoken-release-variant-");
  const path = join(dir, "openapi.json");
  await writeFile(path, `${JSON.stringify(doc, null, 2)}\n`);
  return path;
}

/** The value at a path of keys (or array indexes) in a parsed document; `undefined` when any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The object at a path (throws when it is not an object), for changing release variants. */
export function objectAt(value: unknown, ...path: (string | number)[]): Record<string, unknown> {
  const found = at(value, ...path);
  if (found === null || typeof found !== "object") throw new Error(`No object at ${path.join(".")}`);
  return found as Record<string, unknown>;
}
