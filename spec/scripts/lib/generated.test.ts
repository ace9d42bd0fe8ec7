import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { removeTemporaryDirs, snapshot, temporaryDir, temporaryRepo } from "../../test/helpers.ts";
import { buildSpec } from "./build.ts";
import { emitFiles, replaceFiles } from "./generated.ts";
import { layout, repoRoot } from "./paths.ts";
import { generateTarget } from "./targets.ts";

afterAll(removeTemporaryDirs);

const run = promisify(execFile);
const tsx = join(repoRoot, "spec", "node_modules", ".bin", "tsx");

describe("generate and generate:check", () => {
  it("--check fails naming a generated file edited by hand, and generate restores it (idempotently)", async () => {
    const root = await temporaryRepo();
    const file = join(layout(root).coreGenerated, "spec.gen.ts");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace('"https://api.pinterest.com/v5"', '"https://example.test/v5"'));

    await expect(generateTarget("core", { root, check: true })).rejects.toThrow(
      /Generated files are stale:\n {2}packages\/core\/src\/generated\/spec\.gen\.ts\n/,
    );
    await expect(generateTarget("mock", { root, check: true })).resolves.toEqual({ changed: [] });

    const { changed } = await generateTarget("core", { root });
    expect(changed.map((c) => c.path)).toEqual([file]);
    expect(await readFile(file, "utf8")).toBe(original);
    expect((await generateTarget("core", { root })).changed).toEqual([]);
  });

  it("--check names an edited spec/openapi.yaml, and a deleted generated file as missing", async () => {
    const root = await temporaryRepo();
    await writeFile(layout(root).openapi, "# edited\n", { flag: "a" });
    await expect(buildSpec({ root, check: true })).rejects.toThrow("  spec/openapi.yaml\n");
    await rm(join(layout(root).coreGenerated, "token-checks.gen.ts"));
    await expect(generateTarget("core", { root, check: true })).rejects.toThrow(
      "  packages/core/src/generated/token-checks.gen.ts (missing)\n",
    );
  });

  // That the committed files are fresh is `pnpm generate:check` itself, the first step of `pnpm test`.
  it("codegen.ts --check exits 1 and names the stale file", async () => {
    const root = await temporaryRepo();
    const file = join(layout(root).mockGenerated, "operations.gen.ts");
    await writeFile(file, `${await readFile(file, "utf8")}// hand edit\n`);
    const failed = await run(tsx, ["scripts/codegen.ts", "mock", "--check", "--root", root], {
      cwd: join(repoRoot, "spec"),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("packages/mock/src/generated/operations.gen.ts");
    expect((failed as { stderr: string }).stderr).toContain("Run `pnpm generate`");
  });
});

describe("emitFiles", () => {
  it("writes only files whose content changed", async () => {
    const dir = await temporaryDir();
    const same = join(dir, "same.ts");
    await writeFile(same, "same\n");
    const { changed } = await emitFiles(
      [
        { path: same, content: "same\n" },
        { path: join(dir, "new", "file.ts"), content: "new\n" },
      ],
      { root: dir },
    );
    expect(changed).toEqual([{ path: join(dir, "new", "file.ts"), before: undefined, after: "new\n" }]);
    expect(await readFile(join(dir, "new", "file.ts"), "utf8")).toBe("new\n");
  });
});

describe("replaceFiles", () => {
  it("replaces every file", async () => {
    const dir = await temporaryDir();
    await writeFile(join(dir, "a.ts"), "a1");
    await replaceFiles(
      [
        { path: join(dir, "a.ts"), before: "a1", after: "a2" },
        { path: join(dir, "sub", "b.ts"), before: undefined, after: "b" },
      ],
      { root: dir },
    );
    expect(await snapshot(dir)).toEqual(
      new Map([
        ["a.ts", "a2"],
        ["sub/b.ts", "b"],
      ]),
    );
  });

  it("removes a file whose new content is undefined", async () => {
    const dir = await temporaryDir();
    await writeFile(join(dir, "old.json"), "{}");
    await replaceFiles(
      [
        { path: join(dir, "old.json"), before: "{}", after: undefined },
        { path: join(dir, "new.yaml"), before: undefined, after: "a: 1\n" },
      ],
      { root: dir },
    );
    expect(await snapshot(dir)).toEqual(new Map([["new.yaml", "a: 1\n"]]));
  });

  it("puts back every file already replaced when a later one cannot be written", async () => {
    const dir = await temporaryDir();
    await writeFile(join(dir, "a.ts"), "a1");
    await writeFile(join(dir, "gone.json"), "{}");
    await mkdir(join(dir, "blocked.ts", "inside"), { recursive: true }); // a directory where a file must go
    const before = await snapshot(dir);
    await expect(
      replaceFiles(
        [
          { path: join(dir, "a.ts"), before: "a1", after: "a2" },
          { path: join(dir, "gone.json"), before: "{}", after: undefined },
          { path: join(dir, "new", "c.ts"), before: undefined, after: "c" },
          { path: join(dir, "blocked.ts"), before: undefined, after: "x" },
        ],
        { root: dir },
      ),
    ).rejects.toThrow("Could not replace blocked.ts");
    expect(await snapshot(dir)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(["a.ts", "blocked.ts", "gone.json"]); // no new/, no temporary files
  });
});
