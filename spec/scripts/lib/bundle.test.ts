import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { removeTemporaryDirs, repo, temporaryDir } from "../../test/helpers.ts";
import { pipelineBundles } from "./bundle.mjs";
import { lintDescription } from "./lint.mjs";
import { closeWorkers, startPipelineWorkers } from "./workers.mjs";

afterAll(removeTemporaryDirs);

type Manifest = { dir: string; files: [string, number, number][] };
const manifestOf = async (cacheDir: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(cacheDir, "manifest.json"), "utf8"));

describe("pipelineBundles", () => {
  it("makes the bundles once, then reuses them while their sources are unchanged", async () => {
    const cacheDir = await temporaryDir();
    const first = await pipelineBundles({ cacheDir });
    expect(first.built).toBeDefined();
    const again = await pipelineBundles({ cacheDir });
    expect(again.built).toBeUndefined();
    expect(again.main.href).toBe(first.main.href);
    expect(again.lint.href).toBe(first.lint.href);

    const { files } = await manifestOf(cacheDir);
    const sources = files.map(([path]) => path);
    // Our sources, a dependency's (Redocly, bundled into the lint worker) and the lockfile.
    expect(sources).toContain(fileURLToPath(new URL("./filter.ts", import.meta.url)));
    expect(sources.some((path) => path.includes("@redocly/openapi-core"))).toBe(true);
    expect(sources).toContain(join(repo.root, "pnpm-lock.yaml"));
  });

  it("makes them again when a file they were made from changed", async () => {
    const cacheDir = await temporaryDir();
    await pipelineBundles({ cacheDir });
    const manifest = await manifestOf(cacheDir);
    const filter = manifest.files.find(([path]) => path.endsWith("filter.ts"));
    if (!filter) throw new Error("filter.ts is not among the bundled sources");
    filter[2] -= 1000; // as if filter.ts had been edited since
    await writeFile(join(cacheDir, "manifest.json"), JSON.stringify(manifest));
    const rebuilt = await pipelineBundles({ cacheDir });
    expect(rebuilt.built).toBeDefined();
    expect((await pipelineBundles({ cacheDir })).built).toBeUndefined();
  });

  it("survives runs that make them at the same time", async () => {
    const cacheDir = await temporaryDir();
    const runs = await Promise.all([pipelineBundles({ cacheDir }), pipelineBundles({ cacheDir })]);
    expect(runs[0].main.href).toBe(runs[1].main.href);
    expect((await pipelineBundles({ cacheDir })).built).toBeUndefined();
  });

  it("gives a pipeline, and a lint worker that finds what the unbundled lint finds", async () => {
    const cacheDir = await temporaryDir();
    const bundles = await pipelineBundles({ cacheDir });
    const pipeline = (await import(bundles.main.href)) as typeof import("../spec-update.ts");
    expect(pipeline.specUpdateCli).toBeTypeOf("function");
    const workers = startPipelineWorkers({ lint: bundles.lint });
    try {
      const json = JSON.stringify({ openapi: "3.0.3", info: { title: "t", version: "1" }, paths: {} });
      const input = { json, path: repo.openapi, configPath: repo.lintConfig };
      const result = await workers.lint.run(input);
      expect(result.errors.map((e) => e.ruleId)).toContain("no-empty-servers");
      expect(result).toEqual(await lintDescription({ ...input, text: json, doc: JSON.parse(json) }));
    } finally {
      await closeWorkers(workers);
    }
  });
});
