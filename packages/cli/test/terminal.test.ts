/**
 * `pintoken login` under a real terminal: util-linux `script` gives it a pseudo-terminal, as a user's shell does. The
 * transcript proves the prompts (the app ID echoed, the secret not), the animated spinner, colour (and none with
 * NO_COLOR), and Ctrl+C typed at the terminal.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { freePort } from "@pintoken/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approve, bin, cliEnv, runCli } from "./run-cli.ts";

const hasScript = (() => {
  try {
    return execFileSync("script", ["--version"], { encoding: "utf8" }).includes("util-linux");
  } catch {
    return false;
  }
})();

const root = await mkdtemp(join(tmpdir(), "pintoken-tty-"));
let server: MockPinterestServer;
let port: number;
beforeAll(async () => {
  if (!hasScript) throw new Error("These tests need util-linux's script (apt-get install bsdutils).");
  port = await freePort();
  server = await startMockPinterest({
    port: 0,
    clients: [{ ...mockClient, redirectUris: [`http://localhost:${port}/`] }],
  });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** `pintoken args…` on a pseudo-terminal: what it shows, and a keyboard. */
function inTerminal(args: string[], env: Record<string, string>) {
  const command = [process.execPath, bin, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" ");
  const child: ChildProcessWithoutNullStreams = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    env: cliEnv({ TERM: "xterm-256color", ...env }),
    stdio: "pipe",
  });
  let screen = "";
  const waiting = new Set<() => void>();
  child.stdout.on("data", (chunk) => {
    screen += chunk;
    for (const check of waiting) check();
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return {
    screen: () => screen,
    type: (keys: string) => child.stdin.write(keys),
    exited,
    until(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`${pattern} did not appear within ${timeoutMs} ms; the terminal shows:\n${screen}`));
        }, timeoutMs);
        const check = () => {
          const match = screen.match(pattern);
          if (!match) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(match);
        };
        waiting.add(check);
        check();
      });
    },
    stop: () => child.kill("SIGKILL"),
  };
}

/** A pattern over terminal output, ␛ standing for the escape character (ESC, 0x1b). */
const ansi = (pattern: string, flags?: string) => new RegExp(pattern.replaceAll("␛", "\\x1b"), flags);

const baseEnv = () => ({
  PINTOKEN_CONFIG_DIR: join(root, `config-${Math.random().toString(36).slice(2)}`),
  PINTEREST_API_BASE_URL: server.apiBaseUrl,
  PINTEREST_AUTHORIZATION_URL: server.authorizationEndpoint,
});

describe("pintoken login in a terminal", () => {
  it("asks for the app ID (echoed) and the secret (never shown), spins while waiting, in colour, then signs in", async () => {
    const env = baseEnv();
    const terminal = inTerminal(["login", "--port", String(port)], env);
    try {
      await terminal.until(/Pinterest app ID: /);
      terminal.type(`${mockClient.clientId}\r`);
      await terminal.until(/not shown as you type\): /);
      terminal.type(`${mockClient.clientSecret}\r`);
      const [, url] = await terminal.until(/(http:\/\/127\.0\.0\.1:\d+\/oauth\/\?\S+)/);
      // The spinner turns: two different frames, each redrawn over the line.
      await terminal.until(ansi(String.raw`\r␛\[K␛\[36m⠋␛\[39m Waiting[\s\S]*\r␛\[K␛\[36m⠙`));
      await approve((url as string).replace(ansi(String.raw`␛\[[0-9;]*m`, "g"), ""));
      expect(await terminal.exited).toBe(0);
      const screen = terminal.screen();
      const plain = screen.replace(ansi(String.raw`␛\[[0-9;]*[A-Za-z]`, "g"), "");
      expect(plain).toContain(`Pinterest app ID: ${mockClient.clientId}`); // the ID is echoed as typed
      expect(screen).not.toContain(mockClient.clientSecret); // and not the secret
      expect(screen).toMatch(ansi(String.raw`␛\[32m✓␛\[39m Signed in as ␛\[1m@pintoken_demo`));
    } finally {
      terminal.stop();
    }
  });

  it("Ctrl+C typed while it waits for the browser: exit 130, and the port is free at once", async () => {
    const env = {
      ...baseEnv(),
      PINTEREST_CLIENT_ID: mockClient.clientId,
      PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
    };
    const terminal = inTerminal(["login", "--port", String(port)], env);
    try {
      await terminal.until(/Waiting for you to approve/);
      terminal.type("\u0003");
      expect(await terminal.exited).toBe(130);
      expect(terminal.screen()).toMatch(/Sign-in cancelled/);
      const probe = createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once("error", reject);
        probe.listen(port, "127.0.0.1", () => resolve());
      });
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      terminal.stop();
    }
  });

  it("Ctrl+C at the hidden secret prompt cancels too (exit 130), and NO_COLOR leaves colour out", async () => {
    const env = { ...baseEnv(), PINTEREST_CLIENT_ID: mockClient.clientId, NO_COLOR: "1" };
    const terminal = inTerminal(["login", "--port", String(port)], env);
    try {
      await terminal.until(/not shown as you type\): /);
      terminal.type("half-typed\u0003");
      expect(await terminal.exited).toBe(130);
      expect(terminal.screen()).not.toContain("half-typed");
      expect(terminal.screen()).not.toMatch(ansi(String.raw`␛\[\d+m`));
    } finally {
      terminal.stop();
    }
  });

  it("--mock without a browser: Enter approves as the mock's user (over SSH, in a container)", async () => {
    const env = { PINTOKEN_CONFIG_DIR: join(root, "mock-config"), BROWSER: "none" };
    const terminal = inTerminal(["--mock", "login", "--port", String(await freePort())], env);
    try {
      await terminal.until(/press .*Enter.* to approve here/);
      terminal.type("\r");
      expect(await terminal.exited).toBe(0);
      expect(terminal.screen()).toMatch(/Signed in as .*@pintoken_demo.* \(profile "mock"\)/);
    } finally {
      terminal.stop();
      const { pid } = JSON.parse(await readFile(join(env.PINTOKEN_CONFIG_DIR, "mock-server.json"), "utf8")) as {
        pid: number;
      };
      const { code } = await runCli(["--mock", "logout"], env); // revokes, and stops the background mock
      expect(code).toBe(0);
      expect(() => process.kill(pid, 0)).toThrow();
    }
  });
});
