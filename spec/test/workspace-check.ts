/**
 * Builds and type-checks every package of a workspace copy (see `temporaryWorkspace`) with the packages' own `build`
 * and `typecheck` scripts, as `pnpm build` and `pnpm typecheck` would: builds in dependency order first, then every
 * type-check. Scripts run through `sh` with the package's node_modules/.bin on the PATH, like pnpm runs them.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { workspacePackageDirs } from "./helpers.ts";

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** One script that ran, and how long it took. */
export interface ScriptRun {
  package: string;
  script: "build" | "typecheck";
  ms: number;
}

function runScript(root: string, dir: string, manifest: Manifest, script: ScriptRun["script"]): Promise<ScriptRun> {
  const command = manifest.scripts?.[script] as string;
  const cwd = join(root, dir);
  const PATH = [join(cwd, "node_modules", ".bin"), join(root, "node_modules", ".bin"), process.env.PATH].join(
    delimiter,
  );
  const started = performance.now();
  return new Promise((done, fail) => {
    execFile(
      "sh",
      ["-c", command],
      { cwd, env: { ...process.env, PATH }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`${manifest.name}: \`${script}\` (${command}) failed:\n${stdout}${stderr}`));
        else done({ package: manifest.name, script, ms: performance.now() - started });
      },
    );
  });
}

/** Builds (in dependency order) and then type-checks every workspace package that has those scripts. */
export async function buildAndTypecheck(root: string): Promise<ScriptRun[]> {
  const packages = await Promise.all(
    (await workspacePackageDirs(root)).map(async (dir) => ({
      dir,
      manifest: JSON.parse(await readFile(join(root, dir, "package.json"), "utf8")) as Manifest,
    })),
  );
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const ordered: typeof packages = [];
  const visit = (p: (typeof packages)[number], path: string[] = []) => {
    if (ordered.includes(p) || path.includes(p.manifest.name)) return;
    const deps = { ...p.manifest.dependencies, ...p.manifest.devDependencies };
    for (const [name, version] of Object.entries(deps)) {
      const dep = byName.get(name);
      if (dep && version.startsWith("workspace:")) visit(dep, [...path, p.manifest.name]);
    }
    ordered.push(p);
  };
  for (const p of packages) visit(p);
  const runs: ScriptRun[] = [];
  for (const { dir, manifest } of ordered) {
    if (manifest.scripts?.build) runs.push(await runScript(root, dir, manifest, "build"));
  }
  for (const { dir, manifest } of ordered) {
    if (manifest.scripts?.typecheck) runs.push(await runScript(root, dir, manifest, "typecheck"));
  }
  return runs;
}
