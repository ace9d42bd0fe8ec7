/** The command line in process: help, usage errors and how `pintoken api` builds a request from the spec. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { buildRequest } from "./commands/api.ts";
import { main } from "./main.ts";
import { matchPath, operations } from "./operations.ts";

const configDir = await mkdtemp(join(tmpdir(), "pintoken-main-"));
afterAll(() => rm(configDir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PINTOKEN_CONFIG_DIR: configDir, ...env },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe("help", () => {
  it.each(["login", "token", "status", "logout", "profiles", "api"])(
    "pintoken %s --help: usage and examples",
    async (command) => {
      const { code, stdout } = await run([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: pintoken ${command}[\\s\\S]*Examples:\\n  \\S`));
      expect((await run(["help", command])).stdout).toBe(stdout);
    },
  );

  it("pintoken --help lists the commands and the exit codes; no command at all is a usage error", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["login", "token", "status", "logout", "profiles", "api"])
      expect(help.stdout).toContain(`  ${command} `);
    expect(help.stdout).toMatch(/Exit codes: 0 done, 1 usage error, 2 sign-in needed/);
    expect((await run([])).code).toBe(1);
  });
});

describe("usage errors: exit 1, saying what to type", () => {
  it.each([
    [["frobnicate"], /Unknown command "frobnicate"/],
    [["token", "--frob"], /--frob.*See pintoken token --help/],
    [["token", "extra"], /extra.*See pintoken token --help/],
    [["login", "--scopes", "pins:read,pins:fly"], /Unknown scope "pins:fly"\. Pinterest's scopes: ads:read/],
    [["login", "--port", "99999"], /--port must be a port number/],
    [["login", "--redirect-uri", "https://example.com/cb"], /must be an http URI on this machine/],
    [["token", "--profile", "../x"], /A profile name is 1 to 64 letters/],
  ])("pintoken %j", async (args, message) => {
    const { code, stderr, stdout } = await run(args as string[]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(message as RegExp);
  });

  it("colours errors only on a terminal, never with NO_COLOR", async () => {
    expect((await run(["frobnicate"])).stderr).not.toContain("\u001b[");
    let stderr = "";
    const tty = { write: (text: string) => (stderr += text), isTTY: true };
    const io = { stdin: new PassThrough(), stdout: tty, stderr: tty, signal: new AbortController().signal };
    await main(["frobnicate"], { ...io, env: { TERM: "xterm" } });
    expect(stderr).toContain("\u001b[31m");
    stderr = "";
    await main(["frobnicate"], { ...io, env: { TERM: "xterm", NO_COLOR: "1" } });
    expect(stderr).not.toContain("\u001b[");
  });
});

describe("pintoken api: the request, from the spec's operations", () => {
  const noStdin = () => Promise.reject(new Error("stdin was read"));
  const build = (method: string, path: string, options: Parameters<typeof buildRequest>[2] = {}) =>
    buildRequest(method, path, options, noStdin);

  it("knows every operation of the spec (from the generated list), and matches literal segments before parameters", () => {
    expect(operations.length).toBeGreaterThanOrEqual(200);
    expect(operations.find((op) => op.operationId === "boards/list")).toMatchObject({
      method: "GET",
      path: "/boards",
      paged: true,
    });
    expect(matchPath("/boards/549755885175/pins")).toMatchObject({
      template: "/boards/{board_id}/pins",
      values: { board_id: "549755885175" },
    });
    expect(matchPath("/pins/analytics")?.template).toBe("/pins/analytics");
    expect(matchPath("/pins/123")?.template).toBe("/pins/{pin_id}");
  });

  it("takes path parameters from the path or -f, query parameters from -f or the path's query, the rest as the body", async () => {
    expect(
      await build("get", "/boards/{board_id}/pins", { "raw-field": ["board_id=42", "page_size=10"] }),
    ).toMatchObject({
      path: { board_id: "42" },
      query: { page_size: "10" },
      body: undefined,
    });
    expect(await build("GET", "https://api.pinterest.com/v5/boards?privacy=SECRET")).toMatchObject({
      query: { privacy: "SECRET" },
    });
    const pin = await build("POST", "/pins", {
      "raw-field": [
        "board_id=42",
        "media_source[source_type]=image_url",
        "media_source[url]=https://example.com/a.png",
      ],
      field: ["alt_text=null"],
    });
    expect(pin.body).toEqual({
      board_id: "42",
      media_source: { source_type: "image_url", url: "https://example.com/a.png" },
      alt_text: null,
    });
  });

  it("-F types its values (numbers, booleans, JSON); key[]=… builds a list", async () => {
    const { body } = await build("PATCH", "/boards/42", {
      field: ["name=7", "collaborator=false", 'meta={"a":[1]}'],
      "raw-field": ["tags[]=a", "tags[]=b"],
    });
    expect(body).toEqual({ name: 7, collaborator: false, meta: { a: [1] }, tags: ["a", "b"] });
  });

  it.each([
    ["GET", "/bords", {}, /not a path of Pinterest's API v5/],
    ["DELETE", "/user_account", {}, /has no DELETE operation: it takes GET/],
    ["GET", "/boards", { "raw-field": ["colour=red"] }, /takes no "colour": its parameters are ad_account_id/],
    ["GET", "/boards/{board_id}", {}, /needs -f board_id=…/],
    ["FETCH", "/boards", {}, /not a method of Pinterest's API/],
    ["POST", "/oauth/token", {}, /pintoken login, pintoken token and pintoken logout use it/],
    ["GET", "/boards", { "raw-field": ["page_size"] }, /-f takes key=value/],
    ["POST", "/boards", { "raw-field": ["name=a", "name=b"] }, /given twice/],
  ])("%s %s %j: a usage error", async (method, path, options, message) => {
    await expect(build(method, path, options as never)).rejects.toThrow(message);
  });
});
