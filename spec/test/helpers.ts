/**
 * Helpers shared by the spec pipeline's tests: the Pinterest release kept in spec/upstream/pinterest/, temporary
 * repository copies, file snapshots and changed copies of the release.
 */
import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, readdir, readFile, symlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { parseDocument } from "../../packages/codegen/src/document.ts";
import { releasePath as releaseIn, temporaryDir } from "../../packages/codegen/test/release.ts";
import { layout, pipelineFiles, repoRoot } from "../scripts/lib/paths.ts";

// The kept release, its changed copies and temporary directories are @pintoken/codegen's test helpers: one set (and
// one list of directories to remove) for both packages' tests.
export {
  at,
  loadRelease,
  objectAt,
  releaseVariant,
  removeTemporaryDirs,
  temporaryDir,
} from "../../packages/codegen/test/release.ts";

const run = promisify(execFile);

/** The real repository's paths. */
export const repo = layout(repoRoot);

/** The Pinterest release kept in `<root>/spec/upstream/pinterest/` (JSON or YAML, whichever is there). */
export const releasePath = (root = repoRoot): Promise<string> => releaseIn(layout(root).release);

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
