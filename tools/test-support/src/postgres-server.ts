/**
 * A real PostgreSQL server (Debian's `postgresql`, 15) in a throwaway cluster on a loopback port, for the suites and
 * benchmarks that need one: `initdb` into a temp directory, then the `postgres` server as a child process (what
 * `pg_ctl start` runs, without daemonizing), so that a test can kill it like a crash and start it again on the same
 * data, and an exit of the test process takes it along.
 */
import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { launchUntilReady, type TestServer } from "./child-server.ts";
import { freePort } from "./free-port.ts";

/**
 * A real PostgreSQL server on a loopback port. `kill()` sends SIGKILL to its whole process group (the postmaster and
 * every backend), as a crash of its machine would, but what the OS already has survives: committed transactions are
 * back after `restart()` (crash recovery replays the WAL). `url` uses trust authentication on loopback (no password).
 */
export type PostgresServer = TestServer;

const installHint =
  "PostgreSQL is not installed, and these tests run against a real server. Install it: `pnpm system-deps` at the repository root (apt-get as root; `pnpm test` runs it first), or `sudo apt-get install postgresql`; or set PINTOKEN_PG_BIN to the directory holding initdb and postgres.";

/** The directory holding `initdb` and `postgres`: `PINTOKEN_PG_BIN`, the `PATH`, or Debian's newest cluster version. */
export function findPostgresBin(): string {
  const fromEnv = process.env.PINTOKEN_PG_BIN;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, "initdb")))
      throw new Error(`PINTOKEN_PG_BIN=${fromEnv} holds no initdb. ${installHint}`);
    return fromEnv;
  }
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .find((dir) => dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres")));
  if (onPath) return onPath;
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => existsSync(join(debian, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) throw new Error(installHint);
  return join(debian, versions[0], "bin");
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as the `postgres` system user that Debian's package
 * creates (or `nobody`): its uid and gid from /etc/passwd.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"));
  const user = users.find((u) => u[0] === "postgres") ?? users.find((u) => u[0] === "nobody");
  if (!user) throw new Error("Running as root, and there is no postgres or nobody user to run PostgreSQL as.");
  return { uid: Number(user[2]), gid: Number(user[3]) };
}

function run(binary: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { ...user, env: { ...process.env, LC_ALL: "C.UTF-8" } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

/** Spawns the server in its own process group; resolves once it accepts connections, rejects with its log if not. */
const launch = (
  binary: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> =>
  launchUntilReady(binary, args, {
    name: "postgres",
    readyLine: "database system is ready to accept connections",
    spawn: { ...user, detached: true },
    kill: (child) => killGroup(child, "SIGKILL"),
  });

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves once the server and every process of its group (the backends) are gone. */
async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once("exit", resolve));
  for (;;) {
    try {
      process.kill(-(child.pid as number), 0);
    } catch {
      return; // no process left in the group
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Creates a throwaway cluster (`initdb`, trust authentication, UTF-8) in a new temp directory and starts PostgreSQL on
 * a free loopback port, listening on 127.0.0.1 only (no Unix socket). `fsync` is off: a killed server loses nothing
 * (the OS keeps what was written), only a crash of the machine would. One server per test file, not per test.
 *
 * @example
 * ```ts
 * const postgres = await startPostgres();
 * const pool = new pg.Pool({ connectionString: postgres.url });
 * // …
 * await pool.end();
 * await postgres.stop();
 * ```
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const user = serverUser();
  const dir = await mkdtemp(join(tmpdir(), "pintoken-postgres-"));
  if (user) await chown(dir, user.uid, user.gid);
  const data = join(dir, "data");
  await run(
    join(bin, "initdb"),
    ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
    user,
  );
  let port = 0;
  let child: ChildProcess | undefined;
  const argsFor = (p: number) => [
    "-D",
    data,
    "-p",
    String(p),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "fsync=off",
    "-c",
    "max_connections=200",
  ];
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(join(bin, "postgres"), argsFor(port), user);
    } catch (error) {
      // Another process may have taken the port between the probe and the start: try another one.
      if (attempt >= 4 || !/could not (bind|create listen)/i.test(String(error))) throw error;
    }
  }
  const current = () => child as ChildProcess;
  const onExit = () => killGroup(current(), "SIGKILL");
  process.once("exit", onExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    get pid() {
      return current().pid as number;
    },
    async kill() {
      killGroup(current(), "SIGKILL");
      await exited(current());
    },
    async restart() {
      // Backends of a killed server may take a moment to notice: the new postmaster refuses while they hold memory.
      for (let attempt = 0; ; attempt++) {
        try {
          child = await launch(join(bin, "postgres"), argsFor(port), user);
          return;
        } catch (error) {
          if (attempt >= 20 || !/still in use|already running|lock file/i.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    freeze: () => killGroup(current(), "SIGSTOP"),
    thaw: () => killGroup(current(), "SIGCONT"),
    async stop() {
      process.off("exit", onExit);
      killGroup(current(), "SIGCONT");
      killGroup(current(), "SIGKILL");
      await exited(current());
      await rm(dir, { recursive: true, force: true });
    },
  };
}
