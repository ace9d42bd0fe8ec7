/**
 * The packages as users install them: every publishable package is packed (`pnpm pack`, as `pnpm publish` packs),
 * then scratch projects in the system's temp directory, outside the workspace, install only those tarballs and what
 * they declare, fresh from the npm registry (`npm install`, no lockfile), and use them: a plain Node ESM program and
 * a TypeScript project under moduleResolution bundler and nodenext; a Deno program; and a project that makes its
 * Pinterest types with `npx @pintoken/codegen`, pages `/boards` on the packed mock over HTTP, and makes its types again
 * from a changed release. A package that imports something it does not declare fails here, because nothing else
 * installs it. The Next.js app (a default create-next-app@16 app built from the READMEs, installed with npm and with
 * pnpm, walked in Chromium) is consumer-next.test.ts.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changedRelease,
  releaseChanges,
  releasePath,
  removeTemporaryDirs,
} from "../../../packages/codegen/test/release.ts";
import { installProject, npmCache, run } from "./consumer.ts";
import { pack, type Tarball, unpublishableRanges } from "./pack.ts";
import { catalogVersion, publishablePackages, repoRoot } from "./workspace.ts";

const scratch = mkdtempSync(join(tmpdir(), "pintoken-consumer-"));
const tsc = createRequire(import.meta.url).resolve("typescript/lib/tsc.js");
const deno = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));
const tarballs = new Map<string, Tarball>();
type Project = "node" | "deno" | "codegen";
/** The installs (each resolves to its project's directory), started together once the tarballs exist. */
const installs = new Map<Project, Promise<string>>();

/** The directory of a consumer project once it is installed. */
function installed(name: Project): Promise<string> {
  const install = installs.get(name);
  if (!install) throw new Error(`${name} was never installed: the tarballs could not be packed.`);
  return install;
}

/** `file:` specs of the named packages' tarballs. */
function fromTarballs(...names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [`@pintoken/${name}`, `file:${tarballs.get(`@pintoken/${name}`)?.file}`]),
  );
}

function install(name: Project, dependencies: Record<string, string>, dev: Record<string, string> = {}) {
  const dir = join(scratch, name);
  const done = installProject(name, dir, dependencies, dev).then(() => dir);
  done.catch(() => undefined); // reported by the test that awaits it
  installs.set(name, done);
}

beforeAll(async () => {
  for (const tarball of await Promise.all(publishablePackages().map((pkg) => pack(pkg.dir, join(scratch, "tarballs")))))
    tarballs.set(tarball.name, tarball);
  install("node", fromTarballs("core"));
  install("deno", fromTarballs("core", "deno"));
  const catalog = (...names: string[]) => Object.fromEntries(names.map((name) => [name, catalogVersion(name)]));
  install("codegen", { ...fromTarballs("core", "mock", "codegen"), ...catalog("msw", "typescript") });
}, 300_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  await removeTemporaryDirs();
});

describe("the tarballs", () => {
  it("hold dist, README, LICENSE and CHANGELOG.md, no tests, and only ranges a registry resolves", () => {
    expect([...tarballs.keys()].sort()).toEqual(publishablePackages().map((pkg) => pkg.name));
    for (const { name, version, files, manifest } of tarballs.values()) {
      expect(files, name).toEqual(
        expect.arrayContaining([
          "package.json",
          "README.md",
          "LICENSE",
          "CHANGELOG.md",
          "dist/index.js",
          "dist/index.d.ts",
        ]),
      );
      expect(
        files.filter((file) => /\.test(-d)?\.tsx?$/.test(file)),
        name,
      ).toEqual([]);
      expect(unpublishableRanges(manifest), name).toEqual([]);
      // workspace:^ became a ^ range of this release: core and the adapters are released together.
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
        if (dependency.startsWith("@pintoken/")) expect(range, `${name} → ${dependency}`).toBe(`^${version}`);
    }
  });
});

describe("Node and TypeScript", () => {
  it("a plain ESM program signs a request with the installed core and calls the API through openapi-fetch", async () => {
    const dir = await installed("node");
    const { stdout } = await run(process.execPath, ["main.mjs"], dir);
    expect(JSON.parse(stdout)).toEqual({
      authorize: "https://www.pinterest.com/oauth/",
      scope: "user_accounts:read",
      account: { username: "installed", authorization: "Bearer pina_installed" },
    });
  }, 600_000);

  it.each(["bundler", "nodenext"])(
    "a TypeScript project type-checks under moduleResolution %s",
    async (resolution) => {
      const dir = await installed("node");
      await run(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], dir);
    },
    600_000,
  );
});

describe("Deno", () => {
  it("type-checks and runs a program over the installed @pintoken/deno (Deno KV in memory)", async () => {
    const dir = await installed("deno");
    copyFileSync(join(repoRoot, "packages/deno/test/installed-consumer.ts"), join(dir, "consumer.ts"));
    const env = { DENO_DIR: join(scratch, "deno-dir") };
    await run(deno, ["check", "--quiet", "consumer.ts"], dir, env);
    const { stdout } = await run(deno, ["run", "--quiet", "--no-remote", "--unstable-kv", "consumer.ts"], dir, env);
    expect(stdout.trim().length).toBeGreaterThan(0);
  }, 600_000);
});

describe("@pintoken/codegen in a project of its own", () => {
  it("types the API from Pinterest's release, pages /boards on the packed mock, and types it again from a changed release", async () => {
    const dir = await installed("codegen");
    // What the README says to run, with the npm cache every consumer project shares (no download: it is installed).
    const codegen = (...args: string[]) =>
      run("npx", ["@pintoken/codegen", ...args], dir, { npm_config_cache: npmCache });
    const tscProject = () => run(process.execPath, [tsc, "-p", "tsconfig.json"], dir);

    const made = await codegen(await releasePath(), "-o", "src/pinterest.d.ts");
    expect(made.stdout).toContain("src/pinterest.d.ts: created.");
    await tscProject(); // type-checks boards.ts and save.ts, and emits dist/
    const { stdout } = await run(process.execPath, ["dist/boards.js"], dir);
    expect(JSON.parse(stdout)).toEqual({ boards: 55, pages: 3, firstPage: 5, pin: "string" });

    const { added, removed } = releaseChanges;
    const remade = await codegen(await changedRelease(), "-o", "src/pinterest.d.ts");
    expect(remade.stdout).toContain("src/pinterest.d.ts: updated.");
    expect(remade.stdout).toContain(`+ ${added.method} ${added.path} (${added.operationId})`);
    expect(remade.stdout).toContain(`- ${removed.method} ${removed.path} (${removed.operationId})`);
    // boards.ts still type-checks on the new types; save.ts, which uses the removed operation, no longer does.
    const failed = await tscProject().then(
      () => "",
      (error: Error) => error.message,
    );
    const errors = failed.split("\n").filter((line) => /error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/^src\/save\.ts\(/);
    expect(failed).toContain(`"${removed.path}"`);
  }, 600_000);
});
