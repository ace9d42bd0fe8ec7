/**
 * Test helpers for pintoken's pipeline: Pinterest's real release, as kept in the repository's
 * spec/upstream/pinterest/, changed copies of it standing in for other releases, and temporary directories. The spec
 * package's tests use them too.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Doc, parseDocument, readSource } from "../src/document.ts";

/** The repository this checkout of the package lives in. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Where the repository keeps Pinterest's release, as published. */
export const releaseDir = join(repoRoot, "spec", "upstream", "pinterest");

/** The Pinterest release kept in `dir` (JSON or YAML, whichever is there). */
export async function releasePath(dir = releaseDir): Promise<string> {
  const names = (await readdir(dir)).filter((name) => /^openapi\.(json|yaml)$/.test(name));
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
export async function temporaryDir(prefix = "pintoken-codegen-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Removes every directory made by {@link temporaryDir} (call in afterAll). */
export async function removeTemporaryDirs(): Promise<void> {
  await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

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

/**
 * What {@link changedRelease} changes in its copy of the kept release: an operation added, one removed, and a field
 * of a schema changed (made required and no longer nullable). Tests look for exactly these in the reports.
 */
export const releaseChanges = {
  added: { method: "GET", path: "/boards/{board_id}/summary", operationId: "boards/summary" },
  removed: { method: "POST", path: "/pins/{pin_id}/save", operationId: "pins/save" },
  changed: { schema: "Pin", field: "title" },
} as const;

/**
 * A changed copy of the kept release (see {@link releaseChanges}), written as `<dir>/openapi.json`, standing in for
 * Pinterest's next release: `GET /boards/{board_id}/summary` added (a copy of `GET /boards/{board_id}` under a new
 * operationId), `POST /pins/{pin_id}/save` removed, and `Pin.title` required and not nullable. `/boards` and
 * `/pins/{pin_id}` are as they were.
 */
export function changedRelease(): Promise<string> {
  const { added, removed, changed } = releaseChanges;
  return releaseVariant((doc) => {
    const paths = objectAt(doc, "paths");
    const board = objectAt(paths, "/boards/{board_id}", "get");
    paths[added.path] = {
      get: { ...structuredClone(board), operationId: added.operationId, summary: "Board summary" },
    };
    const item = objectAt(paths, removed.path);
    delete item[removed.method.toLowerCase()];
    if (Object.keys(item).every((key) => key === "parameters")) delete paths[removed.path];
    const schema = objectAt(doc, "components", "schemas", changed.schema);
    delete objectAt(schema, "properties", changed.field).nullable;
    schema.required = [...((schema.required as string[] | undefined) ?? []), changed.field];
  });
}
