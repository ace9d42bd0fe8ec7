/** `pnpm spec:update` on Pinterest's real release (kept in spec/upstream/pinterest/) and on changed copies of it. */
import { execFile } from "node:child_process";
import { copyFile, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toYaml } from "../../packages/codegen/src/document.ts";
import { hasTypeChanges } from "../../packages/codegen/src/type-changes.ts";
import {
  loadRelease,
  objectAt,
  releasePath,
  releaseVariant,
  removeTemporaryDirs,
  snapshot,
  temporaryDir,
  temporaryRepo,
} from "../test/helpers.ts";
import { buildSpec } from "./lib/build.ts";
import { layout, repoRoot } from "./lib/paths.ts";
import { formatReport } from "./lib/report.ts";
import { type SpecUpdateResult, specUpdate } from "./lib/spec-update.ts";
import { generateTarget, targetNames } from "./lib/targets.ts";

afterAll(removeTemporaryDirs);

const run = promisify(execFile);
const changedFiles = (result: SpecUpdateResult) =>
  result.files.filter((f) => f.changed).map((f) => relative(result.root, f.path));

describe("spec:update on the release spec/upstream was made from", () => {
  let root: string;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    root = await temporaryRepo();
    result = await specUpdate({ source: await releasePath(root), root });
  });

  it("changes nothing: spec/upstream, spec/openapi.yaml and every generated file are what it makes", () => {
    expect(result.files.map((f) => relative(root, f.path))).toEqual(
      expect.arrayContaining([
        "spec/openapi.yaml",
        "packages/core/src/generated/openapi.gen.ts",
        "packages/core/src/generated/spec.gen.ts",
        "packages/mock/src/generated/schemas.gen.ts",
        "packages/mock/src/generated/operations.gen.ts",
      ]),
    );
    expect(changedFiles(result)).toEqual([]);
    expect(result.written).toBe(false);
    expect(hasTypeChanges(result.changes)).toBe(false);
    const report = formatReport(result);
    expect(report).toContain("No changes to the types.");
    expect(report).not.toContain("+++ b/");
  });

  it("reports what it kept and what each overlay action did", () => {
    expect(result.kept.operations).toBe(result.kept.totalOperations);
    expect(result.kept.schemas).toBeLessThanOrEqual(result.kept.totalSchemas);
    expect(result.overlay.length).toBeGreaterThan(0);
    const report = formatReport(result);
    expect(report).toMatch(
      new RegExp(
        `^Pinterest API \\S+ from .+ \\(sha256 ${result.sha256.slice(0, 12)}…\\): kept (\\d+) of \\1 operations`,
      ),
    );
    expect(report).toContain(`Overlay: ${result.overlay.filter((a) => a.outcome === "applied").length} of`);
    for (const action of result.overlay) expect(report).toContain(`#${action.number}`);
  });

  it("makes the same files from the same bytes anywhere, under any name (as downloaded), given relative to the directory pnpm was run from", async () => {
    const before = await snapshot(root);
    const downloaded = join(await temporaryDir(), "openapi-downloaded.json");
    await copyFile(await releasePath(root), downloaded);
    const again = await specUpdate({ source: basename(downloaded), cwd: dirname(downloaded), root });
    expect(again.source).toBe(downloaded);
    expect(changedFiles(again)).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  });

  it("downloads an http(s) URL, reads the release as YAML too (kept as openapi.yaml), and generates the same", async () => {
    const { doc } = await loadRelease();
    const yaml = toYaml(doc);
    const server = createServer((request, response) => {
      if (request.url !== "/v5/openapi.yaml") return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/yaml" });
      response.end(yaml);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v5/openapi.yaml`;
    try {
      const yamlRoot = await temporaryRepo();
      const fromYaml = await specUpdate({ source: url, root: yamlRoot });
      expect(fromYaml.source).toBe(url);
      expect(changedFiles(fromYaml).sort()).toEqual([
        "spec/openapi.yaml", // its header names the other bytes' SHA-256
        "spec/upstream/pinterest/openapi.json",
        "spec/upstream/pinterest/openapi.yaml",
      ]);
      const files = await snapshot(yamlRoot);
      expect(files.has("spec/upstream/pinterest/openapi.json")).toBe(false);
      expect(files.get("spec/upstream/pinterest/openapi.yaml")).toBe(yaml);
      const expected = await snapshot(root);
      for (const path of [
        "packages/core/src/generated/openapi.gen.ts",
        "packages/mock/src/generated/operations.gen.ts",
      ]) {
        expect(files.get(path), path).toBe(expected.get(path));
      }
      await expect(specUpdate({ source: url.replace("v5", "v4"), root: yamlRoot })).rejects.toThrow(
        `Could not download ${url.replace("v5", "v4")}: HTTP 404`,
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
    // Nothing listens there any more.
    await expect(specUpdate({ source: url, root })).rejects.toThrow(
      new RegExp(`^Could not download ${url}: .+\\. Check the URL and your network, or download the file`),
    );
  });
});

describe("spec:update on a newer release (a changed copy of the real one)", () => {
  let root: string;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    const source = await releaseVariant((doc) => {
      const account = objectAt(doc, "components", "schemas", "Account", "properties");
      account.is_partner = { type: "boolean", description: "Whether the account is a Pinterest partner." };
      objectAt(account, "username").readOnly = true;
      objectAt(account, "website_url").nullable = true;
      delete account.about;
      const hint = objectAt(doc, "components", "schemas", "TokenRevocationRequest", "properties", "token_type_hint");
      (hint.enum as string[]).push("id_token");
      (doc.info as { version: string }).version = "5.99.0";
    });
    root = await temporaryRepo();
    result = await specUpdate({ source, root });
  });

  it("names exactly those changes to the generated types", () => {
    const about = result.changes.schemasChanged[0]?.removed[0];
    expect(result.changes).toEqual({
      operationsAdded: [],
      operationsRemoved: [],
      operationsChanged: [],
      schemasAdded: [],
      schemasRemoved: [],
      schemasChanged: [
        {
          schema: "Account",
          added: [{ name: "is_partner", type: "boolean", required: false, readOnly: false }],
          removed: [{ name: "about", type: about?.type, required: false, readOnly: about?.readOnly }],
          changed: [
            expect.objectContaining({ name: "username", after: expect.objectContaining({ readOnly: true }) }),
            expect.objectContaining({ name: "website_url", after: expect.objectContaining({ type: "string | null" }) }),
          ],
        },
        {
          schema: "TokenRevocationRequest",
          added: [],
          removed: [],
          changed: [
            expect.objectContaining({
              name: "token_type_hint",
              after: expect.objectContaining({ type: expect.stringMatching(/ \| "id_token"$/) }),
            }),
          ],
        },
      ],
    });
    const report = formatReport(result);
    expect(report).toContain("  Schemas changed (2):\n    Account\n      + is_partner?: boolean\n      - about?: ");
    expect(report).toContain("      ~ username: writable → readonly\n");
    expect(report).toContain("      ~ website_url: string → string | null\n");
    expect(report).toMatch(/~ token_type_hint: .+ → .+ \| "id_token"\n/);
    expect(report).toMatch(/^Pinterest API 5\.99\.0 \(was \S+\) from /);
  });

  it("regenerates the types with them, keeps the new release, and prints the diff of each generated file", async () => {
    const types = await readFile(join(layout(root).coreGenerated, "openapi.gen.ts"), "utf8");
    expect(types).toContain("is_partner?: boolean;");
    expect(types).toMatch(/readonly username\?: string;/);
    expect(types).toContain('| "id_token";');
    expect(await readFile(join(layout(root).coreGenerated, "spec.gen.ts"), "utf8")).toContain(
      'export const specVersion = "5.99.0";',
    );
    expect(await readFile(join(layout(root).release, "openapi.json"), "utf8")).toBe(
      await readFile(result.source, "utf8"),
    );
    const report = formatReport(result);
    expect(report).toContain("+++ b/packages/core/src/generated/openapi.gen.ts");
    expect(report).toMatch(/^\+ +is_partner\?: boolean;$/m);
    expect(report).not.toContain("+++ b/spec/upstream/pinterest/openapi.json"); // listed with its counts, not diffed
    expect(report).toMatch(/updated {4}spec\/upstream\/pinterest\/openapi\.json +\+\d+ −\d+/);
    expect(await readFile(layout(root).openapi, "utf8")).toContain(`info.version 5.99.0, sha256 ${result.sha256}`);
  });

  it("leaves the new files fresh for generate:check", async () => {
    await expect(buildSpec({ root, check: true })).resolves.toEqual({ changed: [] });
    for (const target of targetNames) {
      await expect(generateTarget(target, { root, check: true })).resolves.toEqual({ changed: [] });
    }
  });

  it("writes nothing on a dry run, but reports the same", async () => {
    const dryRoot = await temporaryRepo();
    const before = await snapshot(dryRoot);
    const dry = await specUpdate({ source: result.source, root: dryRoot, dryRun: true });
    expect(dry.written).toBe(false);
    expect(dry.changes).toEqual(result.changes);
    expect(await snapshot(dryRoot)).toEqual(before);
    expect(formatReport(dry)).toContain("Files (dry run, nothing written):");
  });
});

describe("spec:update on an older release that declared continuous_refresh itself (as 5.15–5.18 did)", () => {
  it("keeps Pinterest's declaration, reports that overlay action as satisfied, and types it the same", async () => {
    const source = await releaseVariant((doc) => {
      const fields = objectAt(doc, "components", "schemas", "OauthAccessTokenRequestCode", "allOf", 0, "properties");
      fields.continuous_refresh = { type: "boolean", description: "Return a continuous refresh token." };
    });
    const root = await temporaryRepo();
    const result = await specUpdate({ source, root });
    const action = result.overlay.find((a) => a.description.startsWith("continuous-refresh:"));
    expect(action?.outcome).toBe("satisfied");
    const types = await readFile(join(layout(root).coreGenerated, "openapi.gen.ts"), "utf8");
    expect(types).toMatch(
      /\* @description Return a continuous refresh token\.\s+\*\/\s+continuous_refresh\?: boolean;/,
    );
    expect(result.changes.schemasChanged).toEqual([]);
  });
});

describe("pnpm spec:update (the CLI, as a subprocess)", () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(join(repoRoot, "spec", "node_modules", ".bin", "tsx"), ["scripts/spec-update.ts", ...args], {
      cwd: join(repoRoot, "spec"),
      env: { ...process.env, ...env },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);

  it("updates a repository from a path relative to INIT_CWD, prints the report, and exits", async () => {
    const root = await temporaryRepo();
    const release = await releasePath(root);
    const result = await cli([basename(release), "--root", root], { INIT_CWD: dirname(release) });
    expect(result).toMatchObject({ stderr: "" });
    expect(result.stdout).toMatch(/^Pinterest API \S+ from .+: kept (\d+) of \1 operations/);
    expect(result.stdout).toContain("\nNo changes to the types.\n");
  });

  it("prints its usage with --help, and fails with it when the file is missing", async () => {
    const [help, missing, unknown] = await Promise.all([
      cli(["--help"]),
      cli([]),
      cli(["openapi.json", "--everything"]),
    ]);
    expect(help.stdout).toMatch(/^Usage: pnpm spec:update <file-or-url> \[--dry-run\]/);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/^error: Missing the file or URL to read\.\n\nUsage:/);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain("Unknown option '--everything'");
  });
});

describe("openapi-typescript run bare inside spec/", () => {
  it("generates from the release without picking up the pipeline's lint rules", async () => {
    const cliPath = join(repoRoot, "packages", "codegen", "node_modules", "openapi-typescript", "bin", "cli.js");
    const out = join(await temporaryDir(), "bare.ts");
    const result = await run(process.execPath, [cliPath, await releasePath(), "-o", out], {
      cwd: join(repoRoot, "spec"),
    });
    expect(result.stderr).not.toMatch(/error/i);
    expect(await readFile(out, "utf8")).toContain('"oauth/token": {');
  });
});
