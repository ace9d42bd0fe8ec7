/** Helpers shared by the spec pipeline's tests: temporary repository copies and file snapshots. */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type Doc, loadDocument } from "../scripts/lib/document.ts";
import { layout, repoRoot } from "../scripts/lib/paths.ts";
import { toUpstreamJson } from "./fixtures/make-upstream.ts";

/** Every file the pipeline reads or writes under a repository root, relative to it. */
export const pipelineFiles = [
  "spec/upstream",
  "spec/overlay.yaml",
  "spec/filter.yaml",
  "spec/openapi.yaml",
  "spec/redocly.yaml",
  "packages/core/src/generated",
  "packages/mock/src/generated",
];

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

/** The real repository's paths. */
export const repo = layout(repoRoot);

/** Writes a changed copy of the fixture as `<dir>/openapi.json` and returns its path. */
export async function fixtureVariant(fixture: string, change: (doc: Doc) => void): Promise<string> {
  const doc = await loadDocument(fixture);
  change(doc);
  const dir = await temporaryDir("pintoken-upstream-variant-");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "openapi.json");
  await writeFile(path, toUpstreamJson(doc));
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

/** The object at a path (throws when it is not an object), for changing fixture variants. */
export function objectAt(value: unknown, ...path: (string | number)[]): Record<string, unknown> {
  const found = at(value, ...path);
  if (found === null || typeof found !== "object") throw new Error(`No object at ${path.join(".")}`);
  return found as Record<string, unknown>;
}
