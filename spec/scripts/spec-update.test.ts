import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  fixtureVariant,
  objectAt,
  readRepoFile,
  removeTemporaryDirs,
  snapshot,
  temporaryRepo,
} from "../test/helpers.ts";
import { typeCheckGenerated } from "../test/type-probe.ts";
import { layout, repoRoot } from "./lib/paths.ts";
import { formatReport } from "./lib/report.ts";
import { type SpecUpdateResult, specUpdate } from "./lib/spec-update.ts";
import { hasTypeChanges } from "./lib/type-changes.ts";

afterAll(removeTemporaryDirs);

const fixture = () => inject("upstreamJson");
const generatedOf = (result: SpecUpdateResult) =>
  result.files.filter((f) => f.role !== "upstream").map((f) => relative(result.root, f.path));

describe("spec:update on the full upstream fixture, with the operations in filter.yaml", () => {
  let root: string;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    root = await temporaryRepo();
    result = await specUpdate({ source: fixture(), root });
  });

  it("regenerates files identical to the committed ones and reports no change", async () => {
    expect(generatedOf(result)).toEqual([
      "spec/openapi.yaml",
      "packages/core/src/generated/openapi.gen.ts",
      "packages/core/src/generated/spec.gen.ts",
      "packages/core/src/generated/schemas.gen.ts",
      "packages/mock/src/generated/operations.gen.ts",
    ]);
    for (const path of generatedOf(result)) {
      expect(await readFile(join(root, path), "utf8"), path).toBe(await readRepoFile(path));
    }
    expect(result.files.filter((f) => f.changed)).toEqual([]);
    expect(hasTypeChanges(result.changes)).toBe(false);
    const report = formatReport(result);
    expect(report).toContain("\nFiles:\n  unchanged  spec/upstream/openapi.yaml\n");
    expect(report).toContain("No changes to the generated types.");
    expect(report).not.toContain("Changes to the generated types:");
    expect(report).not.toContain("+++ b/");
  });

  it("writes spec/upstream/openapi.yaml exactly as committed: our subset is upstream, filtered", async () => {
    expect(await readFile(layout(root).upstream, "utf8")).toBe(await readRepoFile("spec/upstream/openapi.yaml"));
  });

  it("reports what it kept and that Redocly found nothing", () => {
    expect(result.kept).toEqual({ operations: 3, totalOperations: 231, schemas: 12, totalSchemas: 727 });
    expect(result.version).toBe("5.23.0");
    expect(result.lint).toEqual({ errors: [], warnings: [] });
    expect(formatReport(result)).toContain(
      "Pinterest REST API 5.23.0 from " +
        `${fixture()}: kept 3 of 231 operations (spec/filter.yaml) and 12 of 727 schemas.`,
    );
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await snapshot(root);
    const again = await specUpdate({ source: fixture(), root });
    expect(again.written).toBe(false);
    expect(again.files.every((f) => !f.changed)).toBe(true);
    expect(await snapshot(root)).toEqual(before);
  });

  it("reads the YAML twin to the same files", async () => {
    const yamlRoot = await temporaryRepo();
    await specUpdate({ source: inject("upstreamYaml"), root: yamlRoot });
    const files = await snapshot(yamlRoot);
    // Only the header's Source line names the other file.
    const upstream = "spec/upstream/openapi.yaml";
    expect(files.get(upstream)).toBe(
      (await readRepoFile(upstream)).replace("Source: openapi.json", "Source: openapi.yaml"),
    );
    files.delete(upstream);
    const expected = await snapshot(root);
    expected.delete(upstream);
    expect(files).toEqual(expected);
  });

  it("resolves a relative path against the directory pnpm was run from", async () => {
    const other = await temporaryRepo();
    const run = await specUpdate({ source: basename(fixture()), cwd: dirname(fixture()), root: other });
    expect(run.source).toBe(fixture());
    expect(run.files.filter((f) => f.changed)).toEqual([]);
  });

  it("downloads an http(s) URL", async () => {
    const server = createServer((request, response) => {
      if (request.url !== "/v5/openapi.json") return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/json" });
      createReadStream(fixture()).pipe(response);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v5/openapi.json`;
    try {
      const urlRoot = await temporaryRepo();
      const run = await specUpdate({ source: url, root: urlRoot });
      expect(run.files.filter((f) => f.changed).map((f) => relative(urlRoot, f.path))).toEqual([
        "spec/upstream/openapi.yaml",
      ]);
      expect(await readFile(layout(urlRoot).upstream, "utf8")).toContain(`# Source: ${url}\n`);
      await expect(specUpdate({ source: url.replace("v5", "v4"), root: urlRoot })).rejects.toThrow(
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

describe("spec:update on a new upstream release that adds a property to Account and an enum value", () => {
  let root: string;
  let result: SpecUpdateResult;
  beforeAll(async () => {
    const source = await fixtureVariant(fixture(), (doc) => {
      objectAt(doc, "components", "schemas", "Account", "properties").is_partner = {
        type: "boolean",
        description: "Whether the account is a Pinterest partner.",
      };
      (
        objectAt(doc, "components", "schemas", "TokenRevocationRequest", "properties", "token_type_hint")
          .enum as string[]
      ).push("id_token");
      (doc.info as { version: string }).version = "5.24.0";
    });
    root = await temporaryRepo();
    result = await specUpdate({ source, root });
  });

  it("names exactly those changes", () => {
    expect(result.changes).toEqual({
      operationsAdded: [],
      operationsRemoved: [],
      operationsChanged: [],
      schemasAdded: [],
      schemasRemoved: [],
      schemasChanged: [
        {
          schema: "Account",
          added: [{ name: "is_partner", type: "boolean", required: false }],
          removed: [],
          changed: [],
        },
        {
          schema: "TokenRevocationRequest",
          added: [],
          removed: [],
          changed: [
            {
              name: "token_type_hint",
              before: { type: '"access_token" | "refresh_token"', required: false },
              after: { type: '"access_token" | "refresh_token" | "id_token"', required: false },
            },
          ],
        },
      ],
    });
    const report = formatReport(result);
    expect(report).toContain(
      [
        "Changes to the generated types:",
        "  Schemas changed (2):",
        "    Account",
        "      + is_partner?: boolean",
        "    TokenRevocationRequest",
        '      ~ token_type_hint: "access_token" | "refresh_token" → "access_token" | "refresh_token" | "id_token"',
        "",
      ].join("\n"),
    );
  });

  it("regenerates the types with them, and prints the diff of each changed file", async () => {
    const types = await readFile(join(layout(root).coreGenerated, "openapi.gen.ts"), "utf8");
    expect(types).toContain("is_partner?: boolean;");
    expect(types).toContain('token_type_hint?: "access_token" | "refresh_token" | "id_token";');
    expect(await readFile(join(layout(root).coreGenerated, "spec.gen.ts"), "utf8")).toContain(
      'export const specVersion = "5.24.0";',
    );
    const report = formatReport(result);
    expect(report).toContain("+++ b/packages/core/src/generated/openapi.gen.ts");
    expect(report).toMatch(/^\+ +is_partner\?: boolean;$/m);
    expect(report).toContain("+++ b/packages/core/src/generated/schemas.gen.ts");
    expect(report).not.toContain("+++ b/spec/upstream/openapi.yaml"); // listed with its counts, not diffed
    expect(report).toMatch(/updated {4}spec\/upstream\/openapi\.yaml +\+\d+ −\d+/);
    expect(await readFile(layout(root).upstream, "utf8")).toContain("# Upstream version (info.version): 5.24.0\n");
    expect(report).toMatch(/^Pinterest REST API 5\.24\.0 \(was 5\.23\.0\) from /);
  });

  it("leaves the new files fresh for generate:check", async () => {
    const { buildSpec } = await import("./lib/build.ts");
    const { generateTarget, targetNames } = await import("./lib/targets.ts");
    await expect(buildSpec({ root, check: true })).resolves.toEqual({ changed: [] });
    for (const target of targetNames)
      await expect(generateTarget(target, { root, check: true })).resolves.toBeDefined();
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

describe("pnpm spec:update (the CLI, as a subprocess)", () => {
  const tsx = join(repoRoot, "spec", "node_modules", ".bin", "tsx");
  const cli = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(tsx, ["scripts/spec-update.ts", ...args], {
      cwd: join(repoRoot, "spec"),
      env: { ...process.env, ...env },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);

  it("updates a repository from a path relative to INIT_CWD and prints the report", async () => {
    const root = await temporaryRepo();
    const run = await cli(["openapi.json", "--root", root], { INIT_CWD: dirname(fixture()) });
    expect(run).toMatchObject({ stderr: "" });
    expect(run.stdout).toContain(`Pinterest REST API 5.23.0 from ${fixture()}: kept 3 of 231 operations`);
    expect(run.stdout).toContain("\nNo changes to the generated types.\n");
  });

  it("prints its usage with --help, and fails with it when the file is missing", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toMatch(/^Usage: pnpm spec:update <file-or-url> \[--all\]/);
    const missing = await cli([]);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toMatch(/^error: Missing the file or URL to read\.\n\nUsage:/);
    const unknown = await cli(["openapi.json", "--everything"]);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain("Unknown option '--everything'");
  });
});

describe("generated types type-check", () => {
  it("the committed ones, with the OAuth probe (so the probe itself is known to compile)", async () => {
    const root = await temporaryRepo();
    await expect(typeCheckGenerated(root)).resolves.toBe("");
  });

  it("and the probe fails when a quirk is back (the test can fail)", async () => {
    const root = await temporaryRepo();
    const file = join(layout(root).coreGenerated, "openapi.gen.ts");
    // Undo the oneOf correction in the generated types: the request becomes its base object again.
    const types = (await readFile(file, "utf8")).replace(
      /OauthAccessTokenRequest: components\["schemas"\]\["OauthAccessTokenRequestCode"\] \| [^;]+;/,
      'OauthAccessTokenRequest: { grant_type: "authorization_code" | "refresh_token" | "client_credentials" };',
    );
    await writeFile(file, types);
    await expect(typeCheckGenerated(root)).rejects.toThrow(/probe\.ts\(\d+,\d+\): error TS/);
  });
});
