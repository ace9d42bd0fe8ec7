/**
 * The release flow in a scratch copy of the repository (never in the real tree): `pnpm run version-packages`
 * (`changeset version`, then deno.json synced) consumes the pending changesets and moves every publishable package to
 * the same new version, writes their CHANGELOG.md, and leaves private packages alone; `pnpm publish -r --dry-run`
 * would publish exactly the publishable packages; and their tarballs name each other at the new version.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { run } from "./consumer.ts";
import { pack } from "./pack.ts";
import { publishablePackages, readManifest, repoRoot, workspacePackages } from "./workspace.ts";

const scratch = mkdtempSync(join(tmpdir(), "pintoken-changesets-"));
const copy = join(scratch, "repo");
const publishable = publishablePackages();
const privates = workspacePackages().filter((pkg) => pkg.private);
const inCopy = (dir: string) => join(copy, relative(repoRoot, dir));
/** The copy's node_modules are links into the real ones: pnpm must never install there. */
const pnpmInCopy = { npm_config_verify_deps_before_run: "false", pnpm_config_verify_deps_before_run: "false" };
const pending = readdirSync(join(repoRoot, ".changeset")).filter(
  (file) => file.endsWith(".md") && file !== "README.md",
);

/**
 * The copy's `node_modules` of a workspace package: links to what is installed in the real one, except that links to
 * workspace packages point into the copy (pnpm packs `workspace:^` as the version of the package it links to).
 * A directory, not one link: pnpm refuses a linked `node_modules`.
 */
function linkNodeModules(dir: string): void {
  const from = join(dir, "node_modules");
  if (!existsSync(from)) return;
  const entries = readdirSync(from).flatMap((entry) =>
    entry.startsWith("@") ? readdirSync(join(from, entry)).map((name) => `${entry}/${name}`) : [entry],
  );
  for (const entry of entries) {
    // pnpm's own state files stay out: pnpm writes them, and must write the copy's, not the real ones.
    if (entry.startsWith(".") && entry !== ".bin" && entry !== ".pnpm") continue;
    const target = realpathSync(join(from, entry));
    const inWorkspace = !relative(repoRoot, target).startsWith("..") && !target.includes("/node_modules/");
    mkdirSync(dirname(join(inCopy(from), entry)), { recursive: true });
    symlinkSync(inWorkspace ? inCopy(target) : join(from, entry), join(inCopy(from), entry));
  }
}

let versioned = { stdout: "", stderr: "" };

beforeAll(async () => {
  // The repository's files as git sees them (tracked and new, nothing ignored), the packages' builds, and links to
  // the installed node_modules; then a git repository of its own, as changesets reads commits.
  const { stdout } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], repoRoot);
  for (const file of stdout.split("\0").filter(Boolean))
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(copy, file));
  for (const dir of [repoRoot, ...workspacePackages().map((pkg) => pkg.dir)]) linkNodeModules(dir);
  for (const { dir } of publishable) cpSync(join(dir, "dist"), join(inCopy(dir), "dist"), { recursive: true });
  await run("git", ["init", "--quiet", "--initial-branch=main"], copy);
  await run("git", ["add", "--all"], copy);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", "copy"], copy);
  versioned = await run("pnpm", ["run", "version-packages"], copy, pnpmInCopy);
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

it("runs without installing anything in the copy (its node_modules link to the real ones)", () => {
  expect(versioned.stdout + versioned.stderr).not.toMatch(/Lockfile|Already up to date|Progress: resolved/);
});

it("moves every publishable package to one new version, with a CHANGELOG.md entry each", () => {
  const before = readManifest(publishable[0]?.dir ?? "").version;
  const versions = new Set(publishable.map(({ dir }) => readManifest(inCopy(dir)).version));
  expect(versions.size).toBe(1);
  const [version = ""] = versions;
  expect(version).not.toBe(before);
  for (const { name, dir } of publishable) {
    const changelog = readFileSync(join(inCopy(dir), "CHANGELOG.md"), "utf8");
    expect(changelog.split("\n")[0]).toBe(`# ${name}`);
    expect(changelog).toContain(`\n## ${version}\n`);
  }
  // The changesets were consumed.
  for (const file of pending) expect(existsSync(join(copy, ".changeset", file)), file).toBe(false);
  // JSR's manifest follows: same version, core from npm at this release.
  const deno = JSON.parse(readFileSync(join(copy, "packages/deno/deno.json"), "utf8"));
  expect(deno.version).toBe(version);
  expect(deno.imports["@pintoken/core"]).toBe(`npm:@pintoken/core@^${version}`);
});

it("never versions a private package (apps, spec, bench, tools)", () => {
  expect(privates.length).toBeGreaterThan(0);
  for (const { dir } of privates) {
    expect(readManifest(inCopy(dir)).version, dir).toBe(readManifest(dir).version);
    expect(existsSync(join(inCopy(dir), "CHANGELOG.md")), dir).toBe(existsSync(join(dir, "CHANGELOG.md")));
  }
});

it("publishes exactly the publishable packages (pnpm publish -r --dry-run)", async () => {
  const { stdout, stderr } = await run(
    "pnpm",
    ["publish", "-r", "--dry-run", "--no-git-checks", "--report-summary"],
    copy,
    pnpmInCopy,
  );
  const summary = JSON.parse(readFileSync(join(copy, "pnpm-publish-summary.json"), "utf8")) as {
    publishedPackages: { name: string; version: string }[];
  };
  const version = readManifest(inCopy(publishable[0]?.dir ?? "")).version;
  expect(summary.publishedPackages.map((pkg) => pkg.name).sort(), stdout + stderr).toEqual(
    publishable.map((pkg) => pkg.name),
  );
  for (const pkg of summary.publishedPackages) expect(pkg.version).toBe(version);
}, 600_000);

it("packs each package's @pintoken dependencies as ^ the new version", async () => {
  const version = readManifest(inCopy(publishable[0]?.dir ?? "")).version;
  for (const { name, dir } of publishable) {
    const { manifest } = await pack(inCopy(dir), join(scratch, "tarballs"));
    expect(manifest.version).toBe(version);
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
      if (dependency.startsWith("@pintoken/")) expect(range, `${name} → ${dependency}`).toBe(`^${version}`);
  }
}, 600_000);

it("publishes @pintoken/deno's new version to JSR (deno publish --dry-run, as `pnpm release` runs it)", async () => {
  const version = readManifest(inCopy(publishable[0]?.dir ?? "")).version;
  const deno = join(repoRoot, "packages/deno/node_modules/.bin/deno");
  const { stdout, stderr } = await run(deno, ["publish", "--dry-run", "--allow-dirty"], join(copy, "packages/deno"), {
    DENO_CONDITIONS: "@pintoken/source",
    DENO_DIR: join(scratch, "deno-dir"),
  });
  expect(stdout + stderr).toContain(`@pintoken/deno@${version}`);
}, 600_000);
