/**
 * The packages as users install them: every publishable package is packed (`pnpm pack`, as `pnpm publish` packs),
 * then scratch projects in the system's temp directory, outside the workspace, install only those tarballs and what
 * they declare, fresh from the npm registry (`npm install`, no lockfile), and use them: a plain Node ESM program and
 * a TypeScript project under moduleResolution bundler and nodenext; a Next.js 16 app with the route handler and the
 * hook that is built, started and signed in against the packed mock Pinterest over loopback; a Deno program; and a
 * project that makes its Pinterest types with `npx @pintoken/codegen`, pages `/boards` on the packed mock over HTTP,
 * and makes its types again from a changed release. A package that imports something it does not declare fails
 * here, because nothing else installs it.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@pintoken/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changedRelease,
  releaseChanges,
  releasePath,
  removeTemporaryDirs,
} from "../../../packages/codegen/test/release.ts";
import {
  CookieJar,
  firstJsonLine,
  installProject,
  npmCache,
  run,
  type Service,
  startNode,
  waitUntilServing,
} from "./consumer.ts";
import { pack, type Tarball, unpublishableRanges } from "./pack.ts";
import { catalogVersion, publishablePackages, repoRoot } from "./workspace.ts";

const scratch = mkdtempSync(join(tmpdir(), "pintoken-consumer-"));
const tsc = createRequire(import.meta.url).resolve("typescript/lib/tsc.js");
const deno = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));
const tarballs = new Map<string, Tarball>();
type Project = "node" | "next" | "deno" | "codegen";
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
  const catalog = (...names: string[]) => Object.fromEntries(names.map((name) => [name, catalogVersion(name)]));
  install("node", fromTarballs("core"));
  install("deno", fromTarballs("core", "deno"));
  install("codegen", { ...fromTarballs("core", "mock", "codegen"), ...catalog("msw", "typescript") });
  install(
    "next",
    { ...fromTarballs("core", "next", "react", "mock"), ...catalog("next", "react", "react-dom", "msw") },
    catalog("typescript", "@types/react", "@types/react-dom", "@types/node"),
  );
}, 300_000);

// Next.js may still be flushing its cache when it is stopped: retry rather than fail on ENOTEMPTY.
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

describe("a Next.js 16 app", () => {
  let mock: Service | undefined;
  let app: Service | undefined;
  afterAll(async () => {
    await app?.stop();
    await mock?.stop();
  });

  it("builds with the route handler and the hook, starts, and signs in on the packed mock Pinterest", async () => {
    const dir = await installed("next");
    const next = join(dir, "node_modules/next/dist/bin/next");
    await run(process.execPath, [next, "build"], dir);

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    mock = startNode(["mock.mjs", origin], dir);
    const urls = await firstJsonLine<Record<string, string>>(mock, 60_000);
    app = startNode([next, "start", "--hostname", "127.0.0.1", "--port", String(port)], dir, {
      PINTEREST_CLIENT_ID: urls.clientId as string,
      PINTEREST_CLIENT_SECRET: urls.clientSecret as string,
      PINTOKEN_SECRET: "consumer-test-secret-0123456789abcdefghij",
      PINTEREST_API_BASE_URL: urls.apiBaseUrl as string,
      PINTEREST_AUTHORIZATION_URL: urls.authorizationEndpoint as string,
    });
    await waitUntilServing(app, `${origin}/api/pinterest/session`, 180_000);

    const jar = new CookieJar();
    const get = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        redirect: "manual",
        ...init,
        headers: { cookie: jar.header(), ...init.headers },
      });
      if (url.startsWith(origin)) jar.take(response);
      return response;
    };
    expect(await (await get(`${origin}/api/pinterest/session`)).json()).toEqual({ status: "unauthenticated" });

    // Login → the mock's consent page.
    const login = await get(`${origin}/api/pinterest/login?returnTo=/`);
    expect(login.status).toBe(302);
    const consentUrl = login.headers.get("location") ?? "";
    expect(consentUrl.startsWith(urls.authorizationEndpoint as string)).toBe(true);
    const consent = await fetch(consentUrl);
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain('value="allow"');

    // Allow → back to the app's callback with a code → the session cookie, and back to returnTo.
    const allowed = await fetch(consentUrl, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "decision=allow",
    });
    expect(allowed.status).toBe(302);
    const callback = allowed.headers.get("location") ?? "";
    expect(callback.startsWith(`${origin}/api/pinterest/callback?code=`)).toBe(true);
    const signedIn = await get(callback);
    expect([302, 303, 307]).toContain(signedIn.status);
    expect(new URL(signedIn.headers.get("location") ?? "", origin).pathname).toBe("/");
    expect(jar.names()).toContain("pintoken.session");

    const session = await (await get(`${origin}/api/pinterest/session`)).json();
    expect(session).toMatchObject({ status: "authenticated", scopes: ["user_accounts:read"] });
    // The page renders the hook's state on the server from the session it was given.
    expect(await (await get(`${origin}/`)).text()).toContain('data-status="authenticated"');
  }, 900_000);
});
