/** Packs packages as `pnpm publish` would, and reads what the tarballs hold. */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Manifest } from "./workspace.ts";

const run = promisify(execFile);

/** A packed package: the tarball and what it holds, unpacked next to it. */
export interface Tarball {
  name: string;
  version: string;
  /** The `.tgz` file. */
  file: string;
  /** Where the tarball is unpacked (the `package/` directory of the archive). */
  dir: string;
  /** The package.json inside the tarball (what the registry and installers read). */
  manifest: Manifest;
  /** The paths of the files in the tarball, relative to the package, sorted. */
  files: string[];
}

/**
 * `pnpm pack`s the package in `packageDir` into `destination` (pnpm replaces `workspace:` and `catalog:` ranges with
 * real versions, exactly as `pnpm publish` and `changeset publish` do) and unpacks the tarball for inspection.
 */
export async function pack(packageDir: string, destination: string): Promise<Tarball> {
  mkdirSync(destination, { recursive: true });
  const { stdout } = await run("pnpm", ["pack", "--json", "--pack-destination", destination], {
    cwd: packageDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const packed = JSON.parse(stdout) as { name: string; version: string; filename: string };
  const dir = join(destination, `${packed.name.replace("@", "").replace("/", "-")}-unpacked`);
  mkdirSync(dir, { recursive: true });
  await run("tar", ["-xzf", packed.filename, "-C", dir, "--strip-components=1"]);
  const { stdout: listing } = await run("tar", ["-tzf", packed.filename]);
  const files = listing
    .split("\n")
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ""))
    .sort();
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  return { name: packed.name, version: packed.version, file: packed.filename, dir, manifest, files };
}

/** Every dependency range of a manifest that a registry could not resolve (`workspace:`, `catalog:`, `link:`, `file:`). */
export function unpublishableRanges(manifest: Manifest): string[] {
  const fields = ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"] as const;
  return fields.flatMap((field) =>
    Object.entries((manifest as unknown as Record<string, Record<string, string> | undefined>)[field] ?? {})
      .filter(([, range]) => /^(workspace|catalog|link|file):/.test(range))
      .map(([name, range]) => `${field}.${name}: ${range}`),
  );
}
