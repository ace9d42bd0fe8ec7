/**
 * `npx @pintoken/codegen <file-or-url> -o <file>` as users run it (the CLI in-process; the installed bin is run from
 * the packed tarball by tools/release): on Pinterest's real release, on a changed copy of it (the report says what
 * changed since the types it replaces), and on bad input (a clear error, and the existing output file untouched).
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changedRelease,
  loadRelease,
  releaseChanges,
  releasePath,
  releaseVariant,
  removeTemporaryDirs,
  repoRoot,
  temporaryDir,
} from "../test/release.ts";
import { runCli } from "./run-cli.ts";

afterAll(removeTemporaryDirs);

/** Runs the CLI in `cwd`; its exit code and what it printed. */
async function cli(cwd: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, cwd);
  return { code, out: out.join(""), err: err.join("") };
}

describe("npx @pintoken/codegen on Pinterest's real release", () => {
  let dir: string;
  let release: string;
  let first: Awaited<ReturnType<typeof cli>>;
  let types: string;
  beforeAll(async () => {
    [dir, release] = await Promise.all([temporaryDir(), releasePath()]);
    first = await cli(dir, release, "-o", "src/pinterest.d.ts");
    types = await readFile(join(dir, "src/pinterest.d.ts"), "utf8");
  });

  it("writes the types of every operation (creating the directory) and says what it read and did", async () => {
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const { doc } = await loadRelease();
    const operationCount = Object.values(doc.paths as Record<string, object>).flatMap((item) =>
      Object.keys(item).filter((key) => key !== "parameters"),
    ).length;
    expect(first.out).toContain(`kept ${operationCount} of ${operationCount} operations`);
    expect(first.out).toMatch(/^Overlay: \d+ of \d+ correction\(s\) applied/m);
    expect(first.out).toContain("src/pinterest.d.ts: created.");
    expect(types).toMatch(/^export interface paths \{$/m);
    expect(types).toMatch(/^export interface operations \{$/m);
    expect(types).toContain('"/pins/{pin_id}": {');
    expect(types).toContain('"boards/list": {');
    // Everything is new to a project that had no types: each operation is listed as added.
    expect(first.out).toContain(`Operations added (${operationCount}):`);
    expect(await readdir(join(dir, "src"))).toEqual(["pinterest.d.ts"]);
  });

  it("writes exactly the types @pintoken/core/api ships for the same release (one pipeline)", async () => {
    expect(types).toBe(await readFile(join(repoRoot, "packages/core/src/generated/openapi.gen.ts"), "utf8"));
  });

  it("run again on the same release, leaves the file as it is and says nothing changed", async () => {
    const again = await cli(dir, release, "-o", "src/pinterest.d.ts");
    expect(again.code).toBe(0);
    expect(again.out).toContain("src/pinterest.d.ts: unchanged.");
    expect(again.out).toContain("No changes to the types.");
    expect(await readFile(join(dir, "src/pinterest.d.ts"), "utf8")).toBe(types);
  });

  it("on a changed copy, replaces the types and reports the operation added, the one removed and the field changed", async () => {
    const copy = await changedRelease();
    const { added, removed, changed } = releaseChanges;
    const dry = await cli(dir, copy, "-o", "src/pinterest.d.ts", "--dry-run");
    expect(dry.out).toContain("src/pinterest.d.ts: not written (dry run).");
    expect(await readFile(join(dir, "src/pinterest.d.ts"), "utf8")).toBe(types);

    const { code, out } = await cli(dir, copy, "-o", "src/pinterest.d.ts");
    expect(code).toBe(0);
    expect(out).toContain("src/pinterest.d.ts: updated.");
    const lines = out.split("\n").map((line) => line.trim());
    expect(lines).toContain("Operations added (1):");
    expect(lines).toContain(`+ ${added.method} ${added.path} (${added.operationId})`);
    expect(lines).toContain("Operations removed (1):");
    expect(lines).toContain(`- ${removed.method} ${removed.path} (${removed.operationId})`);
    const schema = lines.indexOf(changed.schema);
    expect(schema).toBeGreaterThan(lines.indexOf("Schemas changed (1):"));
    expect(lines.slice(schema + 1, schema + 3)).toEqual([
      `~ ${changed.field}: string | null → string`,
      `~ ${changed.field}: optional → required`,
    ]);
    const written = await readFile(join(dir, "src/pinterest.d.ts"), "utf8");
    expect(written).toContain(`"${added.path}": {`);
    expect(written).not.toContain(`"${removed.path}": {`);
  });
});

describe("npx @pintoken/codegen on bad input: a clear error, exit code 1, and the existing types untouched", () => {
  const previous = "// the types the project has\nexport interface paths {}\n";
  let dir: string;
  let release: string;
  beforeAll(async () => {
    [dir, release] = await Promise.all([temporaryDir(), releasePath()]);
  });

  /** Runs the CLI against an existing src/pinterest.d.ts; what it printed, once the file is checked untouched. */
  async function failing(...args: string[]): Promise<string> {
    await mkdir(join(dir, "src"), { recursive: true });
    await writeFile(join(dir, "src/pinterest.d.ts"), previous);
    const { code, out, err } = await cli(dir, ...args);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(await readFile(join(dir, "src/pinterest.d.ts"), "utf8")).toBe(previous);
    expect(await readdir(join(dir, "src"))).toEqual(["pinterest.d.ts"]);
    expect(err).toMatch(/^pintoken-codegen: /);
    expect(err).toMatch(/Nothing was written\.\n$/);
    return err;
  }

  it("a file that does not exist", async () => {
    const err = await failing("no-such-release.json", "-o", "src/pinterest.d.ts");
    expect(err).toContain(`Could not read ${join(dir, "no-such-release.json")}`);
    expect(err).toContain("ENOENT");
  });

  it("a file that is not an OpenAPI description", async () => {
    await writeFile(join(dir, "package.json"), '{ "name": "not-openapi", "version": "1.0.0" }\n');
    expect(await failing("package.json", "-o", "src/pinterest.d.ts")).toContain(
      "does not look like an OpenAPI description: it has no `openapi` field",
    );
    await writeFile(join(dir, "broken.yaml"), "openapi: [3.0.3\n");
    expect(await failing("broken.yaml", "-o", "src/pinterest.d.ts")).toContain("is neither valid JSON nor valid YAML");
  });

  it("a release where what an overlay action corrects has moved: the error names the action", async () => {
    const moved = await releaseVariant((doc) => {
      const schemas = doc.components as { schemas: Record<string, unknown> };
      schemas.schemas.OauthTokenRequest = schemas.schemas.OauthAccessTokenRequest;
      delete schemas.schemas.OauthAccessTokenRequest;
    });
    const err = await failing(moved, "-o", "src/pinterest.d.ts");
    expect(err).toMatch(/Overlay action #\d+ \(request-oneOf: .+\) matched nothing/);
    expect(err).toContain("Its target is $.components.schemas.OauthAccessTokenRequest");
  });

  it("an output that cannot be written: a directory, or a path under a file", async () => {
    await mkdir(join(dir, "types.d.ts"), { recursive: true });
    const intoDirectory = await failing(release, "-o", "types.d.ts");
    expect(intoDirectory).toContain("Could not write types.d.ts:");
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
    expect(await failing(release, "-o", "src/pinterest.d.ts/inner.d.ts")).toContain(
      "Could not write src/pinterest.d.ts/inner.d.ts:",
    );
  });

  it("wrong arguments: the usage", async () => {
    expect(await failing(release)).toContain("Missing -o <file>");
    expect(await failing("-o", "src/pinterest.d.ts")).toContain("Missing the file or URL.");
    expect(await failing(release, "-o", "src/pinterest.d.ts", "--operations", "boards/list,no/such")).toContain(
      'The description has no operation "no/such"',
    );
    expect(await failing(release, "--colour")).toContain("Usage: npx @pintoken/codegen");
  });
});
