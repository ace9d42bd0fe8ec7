import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";

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
