/**
 * `pnpm bench` (second part): `pnpm spec:update <release>` (every operation: the whole pipeline, as the repository
 * runs it) against a bare openapi-typescript run on the same file, side by side in one run, in interleaved rounds with
 * a rotating order. The release is the Pinterest description kept in spec/upstream/pinterest/. Each spec:update round
 * starts from a fresh copy of this checkout's spec/ and generated files in a temporary directory (so every round
 * writes everything, as a real update does); the bare run writes its output there too. Reports medians of wall and
 * CPU time, and their ratios. The target: spec:update within 2.5× of the bare run.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { layout, pipelineFiles } from "../spec/scripts/lib/paths.ts";

const rounds = Number(process.env.BENCH_SPEC_ROUNDS ?? 7);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** pnpm itself when the bench runs under it, else the one on PATH. */
const pnpm = process.env.npm_execpath?.includes("pnpm") ? process.env.npm_execpath : "pnpm";
const requireFromCodegen = createRequire(join(root, "packages", "codegen", "package.json"));
const openapiTypescript = join(dirname(requireFromCodegen.resolve("openapi-typescript/package.json")), "bin", "cli.js");

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * CPU time (user + system, ms) of every finished child of this process and their children, from /proc/self/stat
 * (Linux, whose USER_HZ is 100); `NaN` elsewhere.
 */
function childrenCpu(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime and cstime, fields 16 and 17 of stat(5)
  } catch {
    return Number.NaN;
  }
}

/** Runs a command to completion and returns its wall and CPU time in ms and its stdout; rejects when it fails. */
function timed(command: string, args: string[], cwd: string): Promise<{ ms: number; cpu: number; stdout: string }> {
  const started = performance.now();
  const cpuBefore = childrenCpu();
  return new Promise((done, fail) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${command} ${args.join(" ")} failed:\n${stderr || stdout}`));
      else done({ ms: performance.now() - started, cpu: childrenCpu() - cpuBefore, stdout });
    });
  });
}

const work = await mkdtemp(join(tmpdir(), "pintoken-bench-spec-"));
try {
  const pristine = join(work, "pristine");
  for (const path of pipelineFiles) await cp(join(root, path), join(pristine, path), { recursive: true });
  const releaseDir = layout(root).release;
  const releaseName = (await readdir(releaseDir)).find((name) => /^openapi\.(json|ya?ml)$/.test(name));
  if (!releaseName) throw new Error(`No Pinterest release in ${releaseDir}: run pnpm spec:update first.`);
  const release = join(releaseDir, releaseName);
  const repo = join(work, "repo");

  const contenders = {
    "openapi-typescript (bare CLI)": () =>
      timed(process.execPath, [openapiTypescript, release, "-o", join(work, "bare.gen.ts")], work),
    "pnpm spec:update (every operation)": async () => {
      await rm(repo, { recursive: true, force: true });
      await cp(pristine, repo, { recursive: true });
      return timed(pnpm, ["spec:update", release, "--root", repo], root);
    },
  };
  const names = Object.keys(contenders) as (keyof typeof contenders)[];
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  const cpu = new Map(names.map((name) => [name, [] as number[]]));
  for (const name of names) await contenders[name](); // warm-up: the file cache, tsx's transform cache
  for (let round = 0; round < rounds; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length] as keyof typeof contenders)) {
      const { ms, cpu: used } = await contenders[name]();
      samples.get(name)?.push(ms);
      cpu.get(name)?.push(used);
    }
  }

  const base = median(samples.get(names[0] as keyof typeof contenders) ?? []);
  const baseCpu = median(cpu.get(names[0] as keyof typeof contenders) ?? []);
  console.log(
    `\nspec:update on ${releaseName}, every operation (median of ${rounds} rounds, each a separate process; ` +
      `× of ${names[0]}, target ≤ ×2.5)`,
  );
  for (const [name, values] of samples) {
    const ms = median(values);
    const used = median(cpu.get(name) ?? []);
    console.log(
      `  ${name.padEnd(36)} ${`${ms.toFixed(0)} ms`.padStart(9)}  ×${(ms / base).toFixed(2)}` +
        (Number.isNaN(used) ? "" : `   CPU ${`${used.toFixed(0)} ms`.padStart(8)}  ×${(used / baseCpu).toFixed(2)}`),
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
