/**
 * `pnpm spec:update` on Pinterest's real release in a copy of the whole workspace: it changes nothing (so every
 * package's own build and type-check, which `pnpm test` runs here, covers what it generates), and the copy only ever
 * writes itself.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDocument } from "../../packages/codegen/src/document.ts";
import { operationIds } from "../../packages/codegen/src/filter.ts";
import {
  at,
  loadRelease,
  objectAt,
  releasePath,
  releaseVariant,
  removeTemporaryDirs,
  snapshot,
  temporaryWorkspace,
} from "../test/helpers.ts";
import { layout, pipelineFiles, repoRoot } from "./lib/paths.ts";
import { type SpecUpdateResult, specUpdate } from "./lib/spec-update.ts";

afterAll(removeTemporaryDirs);

/** Copying the workspace (node_modules included) and a whole spec:update: minutes on a busy two-core machine. */
const slow = 600_000;
const run = promisify(execFile);

/** Every file of the pipeline in a checkout, by path. */
async function pipelineSnapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of pipelineFiles) {
    for (const [file, content] of await snapshot(join(root, path)).catch(async () => new Map([["", ""]]))) {
      files.set(join(path, file), content);
    }
  }
  return files;
}

describe("spec:update on the real release in a workspace copy", () => {
  let root: string;
  let release: Awaited<ReturnType<typeof loadRelease>>;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    [root, release] = await Promise.all([temporaryWorkspace(), loadRelease()]);
    result = await specUpdate({ source: await releasePath(root), root });
  }, slow);

  it("changes nothing, keeps every operation of the release and only the components something reaches", async () => {
    expect(result.files.filter((f) => f.changed).map((f) => f.path)).toEqual([]);
    const corrected = await loadDocument(layout(root).openapi);
    expect(operationIds(corrected)).toEqual(operationIds(release.doc));
    expect(result.kept.operations).toBe(result.kept.totalOperations);
    expect(Object.keys(at(corrected, "components", "schemas") as object)).toHaveLength(result.kept.schemas);
    expect(at(corrected, "components", "schemas", "OauthAccessTokenRequest", "oneOf")).toHaveLength(3);
  });

  it(
    "run as pnpm runs it inside the copy, writes the copy and never this checkout",
    async () => {
      const original = await pipelineSnapshot(repoRoot);
      const source = await releaseVariant((doc) => {
        objectAt(doc, "components", "schemas", "Account", "properties").is_partner = { type: "boolean" };
        (doc.info as { version: string }).version = "5.99.0";
      });
      // The root package.json's spec:update script, run in the copy.
      await run(process.execPath, ["--import", "tsx", join("spec", "scripts", "spec-update.ts"), source], {
        cwd: root,
      });
      expect(await loadDocument(join(layout(root).release, "openapi.json"))).toMatchObject({
        info: { version: "5.99.0" },
      });
      expect(await pipelineSnapshot(repoRoot)).toEqual(original);
    },
    slow,
  );
});
