/**
 * `npx @pintoken/cli` as a user runs it: the packed tarballs of the CLI and what it depends on installed with npm in
 * a scratch project outside the workspace (nothing else installs what the CLI forgets to declare), then
 * `npx @pintoken/cli --mock login` approved on the mock's consent page, `--mock token`, `--mock api … --paginate` and
 * `--mock logout`, which stops the background mock.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cleanEnv, installProject, npmCache, run } from "./consumer.ts";
import { pack } from "./pack.ts";
import { catalogVersion, repoRoot } from "./workspace.ts";

const scratch = mkdtempSync(join(tmpdir(), "pintoken-cli-consumer-"));
const project = join(scratch, "project");
const configDir = join(scratch, "config");
/** What every `npx` of the test gets: its own configuration directory, no browser, npm's shared cache. */
const env = { PINTOKEN_CONFIG_DIR: configDir, BROWSER: "none", npm_config_cache: npmCache };

beforeAll(async () => {
  const tarballs = await Promise.all(
    ["core", "mock", "cli"].map((name) => pack(join(repoRoot, "packages", name), join(scratch, "tarballs"))),
  );
  const dependencies = Object.fromEntries(tarballs.map((tarball) => [tarball.name, `file:${tarball.file}`]));
  await installProject("cli", project, { ...dependencies, msw: catalogVersion("msw") });
}, 300_000);

afterAll(() => {
  try {
    const { pid } = JSON.parse(readFileSync(join(configDir, "mock-server.json"), "utf8")) as { pid: number };
    process.kill(pid, "SIGTERM"); // only if a failed test left the mock running
  } catch {
    // stopped by logout, or never started
  }
  rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const npx = (args: string[]) => run("npx", ["--no-install", "@pintoken/cli", ...args], project, env);

it("npx @pintoken/cli --mock login, token, api and logout work from the packed tarball", async () => {
  const login = spawn("npx", ["--no-install", "@pintoken/cli", "--mock", "login"], {
    cwd: project,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => login.once("close", resolve));
  const consentUrl = await new Promise<string>((resolve, reject) => {
    login.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/\?\S+)/.exec(stderr);
      if (match) resolve(match[1] as string);
    });
    login.once("close", () => reject(new Error(`login ended before printing the consent link:\n${stderr}`)));
  });
  const allowed = await fetch(consentUrl, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "decision=allow",
  });
  const back = await fetch(allowed.headers.get("location") ?? "");
  expect(back.status).toBe(200);
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/Signed in as .*@pintoken_demo/);

  const { stdout: token } = await npx(["--mock", "token"]);
  expect(token).toMatch(/^pina_\S+\n$/);
  const { stdout: boards } = await npx(["--mock", "api", "GET", "/boards", "--paginate"]);
  expect((JSON.parse(boards) as unknown[]).length).toBeGreaterThan(25); // more than one page
  const { stderr: loggedOut } = await npx(["--mock", "logout"]);
  expect(loggedOut).toMatch(/Stopped the mock Pinterest/);
}, 300_000);
