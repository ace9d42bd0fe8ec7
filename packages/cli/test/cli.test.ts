/**
 * `pintoken` end to end: the built bin as real subprocesses against the mock Pinterest over HTTP (its consent page
 * driven like a browser), each test in a configuration directory of its own.
 */
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PinterestScope } from "@pintoken/core";
import { makeTokenDue } from "@pintoken/core/testing";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { freePort } from "@pintoken/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileTokenStore } from "../src/file-token-store.ts";
import { approve, type Finished, runCli, startCli } from "./run-cli.ts";

const root = await mkdtemp(join(tmpdir(), "pintoken-cli-"));
let server: MockPinterestServer;
let port: number;
let dirs = 0;

beforeAll(async () => {
  port = await freePort();
  server = await startMockPinterest({
    port: 0,
    clients: [{ ...mockClient, redirectUris: [`http://localhost:${port}/`, `http://127.0.0.1:${port}/callback`] }],
  });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** A fresh configuration directory and the environment that points pintoken at it and at the mock. */
function newUser(extra: Record<string, string> = {}) {
  const configDir = join(root, `user-${++dirs}`);
  const env = {
    PINTOKEN_CONFIG_DIR: configDir,
    PINTEREST_CLIENT_ID: mockClient.clientId,
    PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
    PINTEREST_API_BASE_URL: server.apiBaseUrl,
    PINTEREST_AUTHORIZATION_URL: server.authorizationEndpoint,
    ...extra,
  };
  return { configDir, env, store: new FileTokenStore({ configDir }) };
}

const consentUrl = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/\?\S+)/;

/** `pintoken login`, approved on the mock's consent page over HTTP. */
async function signIn(env: Record<string, string>, args: string[] = []): Promise<Finished> {
  const login = startCli(["login", "--no-browser", "--port", String(port), ...args], env);
  login.child.stdin.end();
  const [, url] = await login.waitForStderr(consentUrl);
  const back = await approve(url as string);
  expect(back.status).toBe(200);
  expect(await back.text()).toContain("Signed in");
  const finished = await login.done;
  expect(finished, finished.stderr).toMatchObject({ code: 0 });
  return finished;
}

/**
 * A profile signed in without the browser: tokens the mock issued (as a code exchange would), saved as `login`
 * saves them. The login tests above go through the consent page; the rest start from here.
 */
async function seed(
  user: ReturnType<typeof newUser>,
  profile = "default",
  scopes: PinterestScope[] = ["user_accounts:read", "boards:read"],
) {
  const { tokenSet } = server.mock.issueTokens({ scopes });
  await user.store.saveProfile(profile, {
    app: {
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      redirectUri: `http://localhost:${port}/`,
      apiBaseUrl: server.apiBaseUrl,
      authorizationEndpoint: server.authorizationEndpoint,
    },
    account: { username: "pintoken_demo" },
    tokenSet,
  });
  return user;
}

/** Every secret the mock has handed out, and the app secret: none may appear where pintoken prints messages. */
function secrets(): string[] {
  return [mockClient.clientSecret, ...server.mock.listTokens().map((token) => token.token)];
}

describe("login", () => {
  it("signs in through the consent page: checks state, exchanges the code, saves the profile 0600, says who and which scopes", async () => {
    const { env, store } = newUser();
    const { stderr, stdout } = await signIn(env, ["--scopes", "user_accounts:read,boards:read"]);
    expect(stdout).toBe("");
    expect(stderr).toContain(`http://localhost:${port}/`); // the redirect URI to register, exactly
    expect(stderr).toMatch(/Signed in as @pintoken_demo \(profile "default"\)/);
    expect(stderr).toMatch(/Scopes granted: user_accounts:read, boards:read/);
    for (const secret of secrets()) expect(stderr).not.toContain(secret);
    expect((await stat(store.path("default"))).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    const { data } = (await store.readProfile("default")) ?? {};
    expect(data?.account?.username).toBe("pintoken_demo");
    expect(data?.app).toMatchObject({ clientId: mockClient.clientId, redirectUri: `http://localhost:${port}/` });
    expect(server.mock.inspectToken(data?.tokenSet?.refreshToken ?? "")?.status).toBe("active");
  });

  it("ignores a redirect with another state, and keeps waiting for the right one", async () => {
    const { env } = newUser();
    const login = startCli(["login", "--no-browser", "--redirect-uri", `http://127.0.0.1:${port}/callback`], env);
    login.child.stdin.end();
    const [, url] = await login.waitForStderr(consentUrl);
    const forged = await fetch(`http://127.0.0.1:${port}/callback?code=stolen&state=not-the-one`);
    expect(forged.status).toBe(400);
    await login.waitForStderr(/Ignored a redirect from another sign-in/);
    expect((await approve(url as string)).status).toBe(200);
    expect((await login.done).code).toBe(0);
  });

  it("Ctrl+C while waiting for the browser exits 130 and frees the port at once", async () => {
    const { env } = newUser();
    const login = startCli(["login", "--no-browser", "--port", String(port)], env);
    login.child.stdin.end();
    await login.waitForStderr(/Waiting for you to approve/);
    login.child.kill("SIGINT");
    const { code, stderr } = await login.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelled/i);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(port, "127.0.0.1", () => resolve());
    });
    await new Promise((resolve) => probe.close(resolve));
  });

  it("without credentials and no terminal to ask on, says where to give them (exit 1)", async () => {
    const { env } = newUser({ PINTEREST_CLIENT_ID: "", PINTEREST_CLIENT_SECRET: "" });
    const { code, stderr } = await runCli(["login", "--no-browser", "--port", String(port)], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/PINTEREST_CLIENT_ID.*PINTEREST_CLIENT_SECRET/);
  });

  it("a port in use is an error that says what to do (exit 1)", async () => {
    const { env } = newUser();
    const busy = createServer().listen(port, "127.0.0.1");
    await new Promise((resolve) => busy.once("listening", resolve));
    try {
      const { code, stderr } = await runCli(["login", "--no-browser", "--port", String(port)], env);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`Port ${port} is in use.*--port`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

describe("token", () => {
  it("prints the access token and nothing else; when due, refreshes once, saves the rotated refresh token", async () => {
    const { env, store } = await seed(newUser());
    const before = (await store.get("default"))?.tokenSet;
    const first = await runCli(["token"], env);
    expect(first).toMatchObject({ code: 0, stdout: `${before?.accessToken}\n`, stderr: "" });

    await makeTokenDue(store, "default");
    server.mock.calls.reset();
    const second = await runCli(["token"], env);
    expect(second.code, second.stderr).toBe(0);
    const after = (await store.get("default"))?.tokenSet;
    expect(second.stdout).toBe(`${after?.accessToken}\n`);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(server.mock.calls.for({ grantType: "refresh_token" })).toHaveLength(1);
    expect(server.mock.inspectToken(before?.refreshToken ?? "")?.status).toBe("rotated");
    expect(server.mock.inspectToken(after?.refreshToken ?? "")?.status).toBe("active");
  });

  it("20 concurrent calls on a due token: exactly 1 refresh at Pinterest, and all 20 print the same new token", async () => {
    const { env, store } = await seed(newUser());
    await makeTokenDue(store, "default");
    const before = (await store.get("default"))?.tokenSet;
    server.mock.calls.reset();
    const runs = await Promise.all(Array.from({ length: 20 }, () => runCli(["token"], env)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const printed = new Set(runs.map((run) => run.stdout));
    const after = (await store.get("default"))?.tokenSet;
    expect([...printed]).toEqual([`${after?.accessToken}\n`]);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(server.mock.calls.for({ grantType: "refresh_token" })).toHaveLength(1);
    expect(server.mock.calls.droppedFor({ grantType: "refresh_token" })).toBe(0);
  }, 120_000);

  it("not signed in: exit 2 and the login command", async () => {
    const { env } = newUser();
    const { code, stdout, stderr } = await runCli(["token", "--profile", "shop"], env);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain("pintoken login --profile shop");
  });

  it("a grant revoked at Pinterest: exit 2, sign in again, no token printed", async () => {
    const { env, store } = await seed(newUser());
    const { tokenSet } = (await store.get("default")) ?? {};
    server.mock.revokeToken(tokenSet?.refreshToken ?? "");
    await makeTokenDue(store, "default");
    const { code, stdout, stderr } = await runCli(["token"], env);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/Sign in again: pintoken login/);
  });
});

describe("the profile file", () => {
  it("readable by others: refused with the exact chmod to run, nothing changed, no token shown (exit 5)", async () => {
    const { env, store } = await seed(newUser());
    await chmod(store.path("default"), 0o644);
    const before = await readFile(store.path("default"), "utf8");
    for (const command of [["token"], ["status"], ["api", "GET", "/user_account"]]) {
      const { code, stdout, stderr } = await runCli(command, env);
      expect({ code, stdout }).toEqual({ code: 5, stdout: "" });
      expect(stderr).toContain(`chmod 600 '${store.path("default")}'`);
      for (const secret of secrets()) expect(stderr).not.toContain(secret);
    }
    expect(await readFile(store.path("default"), "utf8")).toBe(before);
    expect((await stat(store.path("default"))).mode & 0o777).toBe(0o644);
  });

  it("damaged: a clear error, and neither token nor login overwrites it (exit 5)", async () => {
    const { env, store } = await seed(newUser());
    const damaged = (await readFile(store.path("default"), "utf8")).slice(0, 120);
    await writeFile(store.path("default"), damaged, { mode: 0o600 });
    const token = await runCli(["token"], env);
    expect(token.code).toBe(5);
    expect(token.stderr).toMatch(/is damaged.*nothing was changed.*mv '/s);
    const login = await runCli(["login", "--no-browser", "--port", String(port)], env);
    expect(login.code).toBe(5);
    expect(await readFile(store.path("default"), "utf8")).toBe(damaged);
  });

  it("encrypted with PINTOKEN_PASSPHRASE: works with it, and without it says to set it (exit 5)", async () => {
    const passphrase = "an-encryption-passphrase-for-the-cli-test";
    const { env, store } = newUser({ PINTOKEN_PASSPHRASE: passphrase });
    await signIn(env); // through login: the file is written encrypted from the start
    const text = await readFile(store.path("default"), "utf8");
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect((await runCli(["token"], env)).code).toBe(0);
    const { code, stderr } = await runCli(["token"], { ...env, PINTOKEN_PASSPHRASE: "" });
    expect(code).toBe(5);
    expect(stderr).toMatch(/is encrypted: set PINTOKEN_PASSPHRASE/);
  });
});

describe("api", () => {
  it("--paginate walks every bookmark page: as one JSON array, and one item per line with --json", async () => {
    const { env } = await seed(newUser());
    server.mock.calls.reset();
    const array = await runCli(["api", "GET", "/boards", "--paginate", "-f", "page_size=25"], env);
    expect(array.code, array.stderr).toBe(0);
    const boards = JSON.parse(array.stdout) as { id: string }[];
    expect(boards).toHaveLength(60); // the mock's list: three pages of 25, 25 and 10
    expect(new Set(boards.map((board) => board.id)).size).toBe(60);
    expect(server.mock.calls.for("boards/list")).toHaveLength(3);
    const lines = await runCli(["api", "GET", "boards", "--paginate", "--json"], env);
    expect(
      lines.stdout
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual(boards.map((board) => board.id));
  });

  it("calls an operation with path parameters from the path or from -f, and prints its JSON", async () => {
    const { env } = await seed(newUser());
    const me = await runCli(["api", "GET", "/user_account"], env);
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ username: "pintoken_demo" });
    const byField = await runCli(["api", "GET", "/boards/{board_id}", "-f", "board_id=549755885175"], env);
    const byPath = await runCli(["api", "get", "/v5/boards/549755885175", "--json"], env);
    expect(byField.code, byField.stderr).toBe(0);
    expect(JSON.parse(byPath.stdout)).toEqual(JSON.parse(byField.stdout));
    expect(byPath.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("sends fields as a JSON body to operations that take one", async () => {
    const { env } = await seed(newUser(), "default", ["boards:read", "boards:write"]);
    server.mock.calls.reset();
    const created = await runCli(["api", "POST", "/boards", "-f", "name=Recipes", "-f", "privacy=SECRET"], env);
    expect(created.code, created.stderr).toBe(0);
    expect(server.mock.calls.last("boards/create")).toMatchObject({
      status: expect.any(Number),
      body: expect.anything(),
    });
    expect(server.mock.calls.last("boards/create")?.status).toBeLessThan(300);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: expect.any(String) });
  });

  it("an error answer: its body on stdout, what it means on stderr, exit 3 (a missing scope names it)", async () => {
    const { env } = await seed(newUser());
    const { code, stdout, stderr } = await runCli(["api", "GET", "/ad_accounts"], env);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
    expect(stderr).toMatch(
      /GET \/ad_accounts answered 403.*\n.*needs the scope ads:read.*--scopes user_accounts:read,boards:read,ads:read/,
    );
  });

  it("a 401 refreshes the token and tries again once", async () => {
    const { env, store } = await seed(newUser());
    const before = (await store.get("default"))?.tokenSet;
    server.mock.revokeToken(before?.accessToken ?? ""); // Pinterest stops taking the access token early
    server.mock.calls.reset();
    const { code, stderr } = await runCli(["api", "GET", "/user_account"], env);
    expect(code, stderr).toBe(0);
    expect(server.mock.calls.for({ grantType: "refresh_token" })).toHaveLength(1);
    expect((await store.get("default"))?.tokenSet.accessToken).not.toBe(before?.accessToken);
  });
});

describe("status, profiles, logout", () => {
  it("status says who, which scopes and expiries, and that Pinterest takes the token; --json has no token", async () => {
    const { env } = await seed(newUser());
    const human = await runCli(["status"], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/@pintoken_demo[\s\S]*user_accounts:read[\s\S]*Refresh token:\s+valid until[\s\S]*ok/);
    const json = await runCli(["status", "--json", "--offline"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ profile: "default", username: "pintoken_demo", encrypted: false });
    for (const secret of secrets()) expect(human.stdout + json.stdout).not.toContain(secret);
  });

  it("profiles lists each profile and who it is signed in as", async () => {
    const user = await seed(newUser());
    await seed(user, "shop");
    const { env } = user;
    const { code, stdout } = await runCli(["profiles", "--json"], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([
      { profile: "default", username: "pintoken_demo", state: "ok" },
      { profile: "shop", username: "pintoken_demo", state: "ok" },
    ]);
  });

  it("logout revokes the refresh token at Pinterest, then deletes the profile; token then needs a login", async () => {
    const { env, store } = await seed(newUser());
    const { tokenSet } = (await store.get("default")) ?? {};
    const { code, stderr } = await runCli(["logout"], env);
    expect(code, stderr).toBe(0);
    expect(server.mock.inspectToken(tokenSet?.refreshToken ?? "")?.status).toBe("revoked");
    expect(server.mock.inspectToken(tokenSet?.accessToken ?? "")?.status).toBe("revoked");
    await expect(stat(store.path("default"))).rejects.toThrow(/ENOENT/);
    expect((await runCli(["token"], env)).code).toBe(2);
  });
});

describe("--mock", () => {
  it("login, token, api --paginate and logout on the background mock Pinterest, which logout stops", async () => {
    const { env, configDir } = newUser({ PINTEREST_CLIENT_ID: "", PINTEREST_CLIENT_SECRET: "" });
    const mockPort = String(await freePort());
    const login = startCli(["--mock", "login", "--no-browser", "--port", mockPort], env);
    login.child.stdin.end();
    const [, url] = await login.waitForStderr(consentUrl);
    await approve(url as string);
    expect((await login.done).code).toBe(0);
    const info = JSON.parse(await readFile(join(configDir, "mock-server.json"), "utf8")) as { pid: number };
    try {
      const token = await runCli(["--mock", "token"], env);
      expect(token.stdout).toMatch(/^pina_\S+\n$/);
      const boards = await runCli(["--mock", "api", "GET", "/boards", "--paginate"], env);
      expect(JSON.parse(boards.stdout)).toHaveLength(60);
      const without = await runCli(["token", "--profile", "mock"], env);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/add --mock/);
      expect((await runCli(["--mock", "logout"], env)).code).toBe(0);
      expect(() => process.kill(info.pid, 0)).toThrow(); // the mock stopped with the last mock profile
    } finally {
      try {
        process.kill(info.pid, "SIGTERM");
      } catch {
        // already stopped
      }
    }
  });
});

// Last in the file: the killed process's refresh is still held by the mock (slow) when the file's other tests are done.
describe("faults during an operation", () => {
  it("a pintoken killed in the middle of a refresh stalls nobody: the next call takes its lock at once and refreshes", async () => {
    const { env, store } = await seed(newUser());
    await makeTokenDue(store, "default");
    const before = (await store.get("default"))?.tokenSet;
    server.mock.scenario({ grantType: "refresh_token" }).slow(30_000);
    const killed = startCli(["token", "--verbose"], env);
    killed.child.stdin.end();
    await killed.waitForStderr(/refresh-sent/);
    // Killed once the mock holds its refresh (the slow scenario taken), so Pinterest has the request.
    for (let tries = 0; server.mock.pendingScenarios.length > 0; tries++) {
      if (tries > 500) throw new Error("the refresh never reached the mock");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    killed.child.kill("SIGKILL");
    await killed.done;
    const lockFile = store.path("default").replace(/\.json$/, ".lock");
    expect(JSON.parse(await readFile(lockFile, "utf8"))).toMatchObject({ pid: killed.child.pid }); // left behind

    const started = Date.now();
    const next = await runCli(["token"], env);
    expect(next.code, next.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000); // far from the lock's 60 s TTL
    const after = (await store.get("default"))?.tokenSet;
    expect(next.stdout).toBe(`${after?.accessToken}\n`);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    for (const secret of secrets()) expect(killed.stderr()).not.toContain(secret); // --verbose shows no token
  });
});
