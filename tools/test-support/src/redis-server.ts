/**
 * A real `redis-server` (Debian's `redis-server`) on a loopback port, for the suites and benchmarks that need one.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { launchUntilReady, type TestServer } from "./child-server.ts";
import { freePort } from "./free-port.ts";

/** A real `redis-server` on a loopback port (with `persistent: true`, its data is back after `kill()` + `restart()`). */
export type RedisServer = TestServer;

function findRedisServer(): string {
  const candidates = [
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "redis-server")),
    "/usr/bin/redis-server",
  ];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error(
      "redis-server is not installed, and these tests run against a real Redis. Install it: `pnpm system-deps` at the repository root (apt-get as root; `pnpm test` runs it first), or `sudo apt-get install redis-server`.",
    );
  }
  return found;
}

/** Spawns redis-server and resolves once it accepts connections; rejects with its output if it exits first. */
const launch = (binary: string, args: string[]): Promise<ChildProcess> =>
  launchUntilReady(binary, args, { name: "redis-server", readyLine: "Ready to accept connections" });

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * Starts `redis-server` on a free loopback port in a new temp directory. `persistent: true` turns on the
 * append-only file with an fsync per write, so data (locks included) survives `kill()` + `restart()`; otherwise
 * nothing is ever written to disk (`--save '' --appendonly no`).
 */
export async function startRedisServer(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = await mkdtemp(join(tmpdir(), "pintoken-redis-"));
  const persistence = options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  let port = 0;
  let child: ChildProcess | undefined;
  const argsFor = (p: number) => [
    "--port",
    String(p),
    "--bind",
    "127.0.0.1",
    "--protected-mode",
    "yes",
    "--dir",
    dir,
    "--save",
    "",
    ...persistence,
    "--daemonize",
    "no",
    "--logfile",
    "",
  ];
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, argsFor(port));
    } catch (error) {
      // Another process may have taken the port between the probe and the start: try another one.
      if (attempt >= 4 || !String(error).includes("Address already in use")) throw error;
    }
  }
  const onExit = () => child?.kill("SIGKILL");
  process.once("exit", onExit);
  const current = () => child as ChildProcess;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current().pid as number;
    },
    async kill() {
      current().kill("SIGKILL");
      await exited(current());
    },
    async restart() {
      child = await launch(binary, argsFor(port));
    },
    freeze: () => current().kill("SIGSTOP"),
    thaw: () => current().kill("SIGCONT"),
    async stop() {
      process.off("exit", onExit);
      current().kill("SIGCONT");
      current().kill("SIGKILL");
      await exited(current());
      await rm(dir, { recursive: true, force: true });
    },
  };
}
