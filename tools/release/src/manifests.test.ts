/**
 * What every publishable package's package.json and files promise before anything is packed: the exports map, the
 * files, engines, peers, license, README and changelog; and that only packages/* is ever published.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { undeclaredImports } from "./imports.ts";
import { publishablePackages, readManifest, repoRoot, workspacePackages } from "./workspace.ts";

const publishable = publishablePackages();

/** Frameworks and clients an app brings itself: a package must take them as peers, never bundle its own copy. */
const peersOnly = ["next", "react", "react-dom", "msw", "redis"];

it("publishes exactly the packages under packages/ (apps, spec, bench, tools and test packages are private)", () => {
  const underPackages = workspacePackages().filter((pkg) => /^packages\/[^/]+$/.test(relative(repoRoot, pkg.dir)));
  expect(publishable.map((pkg) => pkg.name)).toEqual(underPackages.map((pkg) => pkg.name).sort());
  expect(publishable.length).toBeGreaterThanOrEqual(6);
});

describe.each(publishable)("$name", ({ name, dir }) => {
  const manifest = readManifest(dir);

  it("is an ES module package for Node ≥ 20.19, MIT, public, with its repository and directory", () => {
    expect(manifest).toMatchObject({
      type: "module",
      sideEffects: false,
      license: "MIT",
      engines: { node: ">=20.19" },
      publishConfig: { access: "public" },
      repository: { url: "git+https://github.com/pintoken/pintoken.git", directory: relative(repoRoot, dir) },
    });
    expect(manifest.description?.length).toBeGreaterThan(20);
  });

  it('has an exports map without wildcards: "types" before "default" in dist/, the source condition, "./package.json"', () => {
    const exports = manifest.exports ?? {};
    expect(exports["./package.json"]).toBe("./package.json");
    expect(exports["."]).toBeDefined();
    for (const [subpath, target] of Object.entries(exports)) {
      expect(subpath).not.toContain("*");
      if (subpath === "./package.json") continue;
      // The source condition comes first so that the workspace (customConditions) resolves to src/; users never set it.
      expect(Object.keys(target)).toEqual(["@pintoken/source", "types", "default"]);
      const { types, default: code } = target as Record<string, string>;
      expect(types).toMatch(/^\.\/dist\/[\w-]+\.d\.ts$/);
      expect(code).toBe(types?.replace(/\.d\.ts$/, ".js"));
    }
    expect(manifest.types).toBe((exports["."] as Record<string, string>).types);
  });

  it("ships dist, its source (for source maps), README, LICENSE and CHANGELOG.md, and no tests", () => {
    expect(manifest.files).toEqual(expect.arrayContaining(["dist", "src", "!src/**/*.test.ts", "CHANGELOG.md"]));
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the pintoken/);
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(readFileSync(join(repoRoot, "LICENSE"), "utf8"));
    // Changesets owns CHANGELOG.md: it adds each release under this first line.
    expect(readFileSync(join(dir, "CHANGELOG.md"), "utf8").split("\n")[0]).toBe(`# ${name}`);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme.split("\n")[0]).toBe(`# ${name}`);
    expect(readme).toMatch(new RegExp(`^(pnpm add|npm i)( -D)? (.* )?${name.replace("/", "\\/")}( |$)`, "m"));
  });

  it("takes frameworks and clients as peers, and other @pintoken packages as ^ ranges of this release", () => {
    for (const dependency of peersOnly) expect(manifest.dependencies ?? {}).not.toHaveProperty(dependency);
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
      if (dependency.startsWith("@pintoken/")) expect(range, dependency).toBe("workspace:^");
  });

  it("imports from its built files only what it declares (dependencies, peers, Node built-ins)", () => {
    expect(undeclaredImports(dir, manifest)).toEqual([]);
  });

  it("runs publint --strict and attw --pack on its build in lint (part of pnpm test)", () => {
    expect(manifest.scripts?.lint).toContain("publint --strict");
    expect(manifest.scripts?.lint).toContain("attw --pack . --profile esm-only");
  });
});

describe("changesets", () => {
  const config = JSON.parse(readFileSync(join(repoRoot, ".changeset/config.json"), "utf8")) as {
    fixed: string[][];
    privatePackages: { version: boolean; tag: boolean };
    access: string;
  };

  it("releases every publishable package together and never versions a private one", () => {
    expect(config.fixed).toEqual([["@pintoken/*"]]);
    for (const { name } of publishable) expect(name).toMatch(/^@pintoken\/[a-z-]+$/);
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    expect(config.access).toBe("public");
  });

  const pending = readdirSync(join(repoRoot, ".changeset")).filter(
    (file) => file.endsWith(".md") && file !== "README.md",
  );

  it.each(pending)("%s names publishable packages and starts with a package's scope (or packages: for all)", (file) => {
    const text = readFileSync(join(repoRoot, ".changeset", file), "utf8");
    const [, frontmatter = "", summary = ""] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
    const releases = frontmatter.split("\n").map((line) => /^"(@pintoken\/[a-z-]+)": (patch|minor|major)$/.exec(line));
    expect(releases.every(Boolean), `${file}: each frontmatter line is "@pintoken/<name>": patch|minor|major`).toBe(
      true,
    );
    const names = releases.map((release) => release?.[1]);
    for (const name of names) expect(publishable.map((pkg) => pkg.name)).toContain(name);
    const scopes = names.map((name) => name?.replace("@pintoken/", ""));
    // A change to every package (their packaging, say) may use the scope "packages".
    if (publishable.every((pkg) => names.includes(pkg.name))) scopes.push("packages");
    expect(scopes).toContain(/^(\w[\w-]*):/.exec(summary.trim())?.[1]);
  });
});
