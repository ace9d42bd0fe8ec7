import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";

/** A file the pipeline produces. */
export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  content: string;
}

/** What `emitFiles` did: the files whose content changed (or, with `check`, would change). */
export interface EmitResult {
  changed: { path: string; before: string | undefined; after: string }[];
}

/**
 * Writes generated files, touching only those whose content changed. With `check`, writes nothing and throws an
 * error listing every stale file (so CI fails and says which command fixes it).
 */
export async function emitFiles(
  files: GeneratedFile[],
  { check = false, root = process.cwd() } = {},
): Promise<EmitResult> {
  const changed: EmitResult["changed"] = [];
  for (const file of files) {
    const before = await readFile(file.path, "utf8").catch(() => undefined);
    if (before === file.content) continue;
    changed.push({ path: file.path, before, after: file.content });
    if (!check) {
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, file.content);
    }
  }
  if (check && changed.length) {
    const list = changed
      .map((c) => `  ${relative(root, c.path)}${c.before === undefined ? " (missing)" : ""}`)
      .join("\n");
    throw new Error(
      `Generated files are stale:\n${list}\nRun \`pnpm generate\` and commit the result. Never edit generated files by hand.`,
    );
  }
  return { changed };
}

/** One file to replace: what it held before and its new content (`undefined`: it does not exist / is removed). */
export interface FileChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

/**
 * Replaces several files all-or-nothing: every new content is first written beside its target, then each is
 * renamed over its target (or, for `after: undefined`, the target is removed); if any step fails, the files already
 * replaced get their previous content back (new files and the directories created for them are removed) and the
 * error says so.
 */
export async function replaceFiles(changes: FileChange[], { root = process.cwd() } = {}): Promise<void> {
  const staged = new Map<FileChange, string>();
  const createdDirs: string[] = [];
  const cleanUp = () => Promise.all([...staged.values()].map((file) => rm(file, { force: true })));
  const name = (path: string) => relative(root, path);
  try {
    for (const change of changes) {
      if (change.after === undefined) continue;
      const created = await mkdir(dirname(change.path), { recursive: true });
      if (created) createdDirs.push(created);
      const temporary = join(dirname(change.path), `.${basename(change.path)}.${process.pid}.tmp`);
      await writeFile(temporary, change.after);
      staged.set(change, temporary);
    }
  } catch (error) {
    await cleanUp();
    await removeDirs(createdDirs);
    throw new Error(`Could not write beside the generated files: ${(error as Error).message}. Nothing was changed.`);
  }
  const replaced: FileChange[] = [];
  for (const change of changes) {
    try {
      const temporary = staged.get(change);
      if (temporary === undefined) await rm(change.path, { force: true });
      else await rename(temporary, change.path);
      replaced.push(change);
    } catch (error) {
      await cleanUp();
      const unrestored: string[] = [];
      for (const done of replaced.reverse()) {
        try {
          if (done.before === undefined) await rm(done.path, { force: true });
          else await writeFile(done.path, done.before);
        } catch {
          unrestored.push(name(done.path));
        }
      }
      await removeDirs(createdDirs);
      throw new Error(
        `Could not replace ${name(change.path)}: ${(error as Error).message}. ` +
          (unrestored.length
            ? `These files could not be restored, restore them with git: ${unrestored.join(", ")}.`
            : "Every file already replaced was restored to its previous content."),
      );
    }
  }
}

/** Removes the directories `replaceFiles` created (they did not exist before it ran, so all they hold is ours). */
async function removeDirs(dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
