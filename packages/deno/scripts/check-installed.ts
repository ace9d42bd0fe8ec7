/**
 * Checks the package as Deno users get it, not as this workspace links it. It packs `@pintoken/core` and this package
 * as `pnpm publish` would (`pnpm pack`), unpacks both into the `node_modules` of a scratch project as an installer
 * does, and there type-checks and runs `test/installed-consumer.ts` (a program that imports the package by name) twice:
 *
 * - **npm**: `@pintoken/deno` is the installed npm package (its `dist`, over core's `dist`);
 * - **JSR**: `@pintoken/deno` is this package's source with this package's `deno.json`, which maps `@pintoken/core`
 *   to `npm:@pintoken/core`, here the installed tarball, as JSR users get it.
 *
 * Why a scratch project: in the workspace, `node_modules/@pintoken/core` is pnpm's link to `packages/core`. Deno
 * follows it to a path outside any `node_modules`, and there reads core's declarations as local files, whose imports
 * must name existing files; core's bundled declarations import their shared chunks as `./token-store.js` (the types
 * are in `token-store.d.ts`), which TypeScript, and Deno inside `node_modules`, resolve. So inside the workspace,
 * Deno checks this package against core's source (`--conditions @pintoken/source`), and this script checks the
 * published files.
 *
 * Run after `pnpm build` (this package's and core's):
 * `deno run --allow-read --allow-write --allow-env --allow-run scripts/check-installed.ts`.
 */
import { fileURLToPath } from "node:url";
import { packageDir } from "../test/deno-command.ts";

const coreDir = fileURLToPath(new URL("../../core/", import.meta.url));

async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    cwd,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  if (code !== 0)
    throw new Error(`\`${command} ${args.join(" ")}\` in ${cwd} failed:\n${out}${new TextDecoder().decode(stderr)}`);
  return out;
}

/** `pnpm pack`s the package in `dir` and unpacks it into `nodeModules`; returns its manifest. */
async function install(
  dir: string,
  into: string,
  nodeModules: string,
): Promise<{ name: string; dependencies?: Record<string, string> }> {
  const { filename } = JSON.parse(await run("pnpm", ["pack", "--json", "--pack-destination", into], dir)) as {
    filename: string;
  };
  const manifest = JSON.parse(await run("tar", ["-xzOf", filename, "package/package.json"], into));
  const target = `${nodeModules}/${manifest.name}`;
  await Deno.mkdir(target, { recursive: true });
  await run("tar", ["-xzf", filename, "-C", target, "--strip-components=1"], into);
  return manifest;
}

/** Links a third-party dependency from the workspace's store (a path inside `node_modules`, as installed). */
async function linkDependency(name: string, from: string, nodeModules: string): Promise<void> {
  const target = `${nodeModules}/${name}`;
  const linked = await Deno.lstat(target).catch(() => undefined);
  if (linked) return;
  await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
  await Deno.symlink(await Deno.realPath(`${from}/node_modules/${name}`), target);
}

/** What `deno publish` uploads (deno.json, and the source without tests: see `publish` in deno.json), copied to `into`. */
async function copyPublished(into: string): Promise<void> {
  await Deno.mkdir(`${into}/src`, { recursive: true });
  await Deno.copyFile(`${packageDir}deno.json`, `${into}/deno.json`);
  for await (const entry of Deno.readDir(`${packageDir}src`)) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      await Deno.copyFile(`${packageDir}src/${entry.name}`, `${into}/src/${entry.name}`);
  }
}

if (import.meta.main) {
  const scratch = await Deno.makeTempDir({ prefix: "pintoken-deno-installed-" });
  try {
    const nodeModules = `${scratch}/node_modules`;
    for (const dir of [coreDir, packageDir]) {
      const manifest = await install(dir, scratch, nodeModules);
      for (const name of Object.keys(manifest.dependencies ?? {}))
        if (!name.startsWith("@pintoken/")) await linkDependency(name, dir, nodeModules);
    }
    const consumer = await Deno.readTextFile(`${packageDir}test/installed-consumer.ts`);
    const forms = {
      npm: async (dir: string) => {
        await Deno.mkdir(dir);
        await Deno.writeTextFile(
          `${dir}/deno.json`,
          JSON.stringify({ nodeModulesDir: "manual", unstable: ["kv"], compilerOptions: { strict: true } }),
        );
      },
      jsr: copyPublished,
    };
    for (const [form, prepare] of Object.entries(forms)) {
      const dir = `${scratch}/${form}`;
      await prepare(dir);
      await Deno.writeTextFile(`${dir}/consumer.ts`, consumer);
      // A Deno cache of its own: Deno caches what it type-checked by npm package name and version, and every build
      // here is 0.0.0 (or one release): a shared cache would check today's declarations against yesterday's.
      const env = { DENO_DIR: `${scratch}/deno-dir` };
      const deno = Deno.execPath();
      await run(deno, ["check", "--quiet", "consumer.ts"], dir, env);
      const out = await run(deno, ["run", "--quiet", "--no-remote", "--unstable-kv", "consumer.ts"], dir, env);
      console.log(`${form}: ${out.trim()}`);
    }
    console.log("The packed npm packages, and the JSR source over core from npm, type-check and run under Deno.");
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}
