/**
 * Builds and type-checks every package of a workspace copy (see `temporaryWorkspace`) that generated code reaches (a
 * generated package, or one depending on one), with the packages' own `build` and `typecheck` scripts, as
 * `pnpm build` and `pnpm typecheck` would: first the builds of the published packages (what the others and the users
 * consume; an app's build, such as `next build`, adds minutes and no check its type-check lacks), in dependency
 * order, then every type-check. Scripts run through `sh` with the package's node_modules/.bin on the PATH, like pnpm
 * runs them.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { delimiter, join, relative } from "node:path";
import { layout } from "../scripts/lib/paths.ts";
import { workspacePackageDirs } from "./helpers.ts";

interface Manifest {
  name: string;
  private?: boolean;
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
  const paths = layout(root);
  const generated = new Set(
    [paths.coreGenerated, paths.mockGenerated].map((dir) => relative(root, join(dir, "..", ".."))),
  );
  const workspaceDeps = (p: (typeof packages)[number]) =>
    Object.entries({ ...p.manifest.dependencies, ...p.manifest.devDependencies }).flatMap(([name, version]) => {
      const dep = byName.get(name);
      return dep && version.startsWith("workspace:") ? [dep] : [];
    });
  const ordered: typeof packages = [];
  const reached = new Set<(typeof packages)[number]>();
  const visit = (p: (typeof packages)[number], path: string[] = []): boolean => {
    if (path.includes(p.manifest.name)) return false;
    const deps = workspaceDeps(p).map((dep) => visit(dep, [...path, p.manifest.name]));
    if (generated.has(p.dir) || deps.some(Boolean)) reached.add(p);
    if (!ordered.includes(p)) ordered.push(p);
    return reached.has(p);
  };
  for (const p of packages) visit(p);
  const affected = ordered.filter((p) => reached.has(p));
  const runs: ScriptRun[] = [];
  for (const { dir, manifest } of affected) {
    if (manifest.scripts?.build && !manifest.private) runs.push(await runScript(root, dir, manifest, "build"));
  }
  for (const { dir, manifest } of affected) {
    if (manifest.scripts?.typecheck) runs.push(await runScript(root, dir, manifest, "typecheck"));
  }
  return runs;
}
