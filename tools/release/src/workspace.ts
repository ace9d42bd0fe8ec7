/** The workspace as the release sees it: which packages are published, and the versions the repository pins. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";

/** The repository's root directory. */
export const repoRoot: string = fileURLToPath(new URL("../../..", import.meta.url));

/** The fields of a package.json the release checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  type?: string;
  sideEffects?: boolean;
  repository?: { type?: string; url?: string; directory?: string };
  exports?: Record<string, string | Record<string, string>>;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

/** A package of the workspace. */
export interface WorkspacePackage {
  name: string;
  dir: string;
  private: boolean;
}

/** Every package of the workspace (pnpm's own list), the root excluded. */
export function workspacePackages(): WorkspacePackage[] {
  const listed = JSON.parse(
    execFileSync("pnpm", ["ls", "--recursive", "--depth", "-1", "--json"], { cwd: repoRoot, encoding: "utf8" }),
  ) as { name: string; path: string; private?: boolean }[];
  return listed
    .filter((entry) => entry.path !== repoRoot.replace(/\/$/, ""))
    .map((entry) => ({ name: entry.name, dir: entry.path, private: entry.private === true }));
}

/** The packages that are published to npm (every package not marked private), by name. */
export function publishablePackages(): WorkspacePackage[] {
  return workspacePackages()
    .filter((pkg) => !pkg.private)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A package's package.json. */
export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** The version the workspace's catalog (pnpm-workspace.yaml) pins for a dependency, e.g. `next` → `16.4.6`. */
export function catalogVersion(name: string): string {
  const workspace = load(readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8")) as {
    catalog?: Record<string, string>;
  };
  const version = workspace.catalog?.[name];
  if (!version) throw new Error(`pnpm-workspace.yaml's catalog has no version for ${name}.`);
  return version;
}
