/** Scratch consumer projects outside the workspace: installed with npm from packed tarballs, then run. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the consumer projects' files live (tools/release/consumer/<name>). */
export const consumerFiles = (name: string): string => fileURLToPath(new URL(`../consumer/${name}`, import.meta.url));

/**
 * npm's cache, shared by every consumer project and every run (npm's cache is safe to share between concurrent
 * installs), so only the first install on a machine downloads Next.js. `PINTOKEN_NPM_CACHE` moves it (e.g. for CI).
 */
export const npmCache: string = process.env.PINTOKEN_NPM_CACHE ?? join(tmpdir(), "pintoken-npm-cache");

/** pnpm's content-addressed store for the consumer projects installed with pnpm, shared the same way. */
export const pnpmStore: string = process.env.PINTOKEN_PNPM_STORE ?? join(tmpdir(), "pintoken-pnpm-store");

/**
 * The environment without what pnpm sets for its scripts (`npm_config_*`…), so npm reads only its own defaults, and
 * without what vitest sets (`NODE_ENV=test`, with which Next.js would not read `.env.local`), as in a user's shell.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|vitest|NODE_ENV$|TEST$)/i.test(name)),
  );
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", ...extra };
}

/** Runs a command to completion; the error carries its output. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`\`${command} ${args.join(" ")}\` in ${cwd} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Copies a consumer project's files into `dir`, writes its package.json with `dependencies` (tarballs as `file:`
 * specs, everything else from the registry), and installs it with a fresh `npm install` (no lockfile; no install
 * scripts, which none of these packages needs).
 */
export async function installProject(
  name: string,
  dir: string,
  dependencies: Record<string, string>,
  devDependencies: Record<string, string> = {},
): Promise<void> {
  cpSync(consumerFiles(name), dir, { recursive: true });
  const manifest = { name: `consumer-${name}`, private: true, type: "module", dependencies, devDependencies };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--prefer-offline",
      "--loglevel=error",
      "--cache",
      npmCache,
    ],
    dir,
  );
}

/** A long-running child process in its own process group, its output kept. */
export interface Service {
  child: ChildProcess;
  output: string[];
  /** Ends the process group (SIGTERM, then SIGKILL after 10 s) and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `node args…` in `cwd` as a {@link Service}. */
export function startNode(args: string[], cwd: string, env: Record<string, string> = {}): Service {
  return startService(process.execPath, args, cwd, env);
}

/** Starts `command args…` in `cwd` as a {@link Service}, in its own process group. */
export function startService(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Service {
  const child = spawn(command, args, { cwd, env: cleanEnv(env), detached: true, stdio: "pipe" });
  const output: string[] = [];
  child.stdout.on("data", (chunk) => output.push(String(chunk)));
  child.stderr.on("data", (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const group = -child.pid;
      process.kill(group, "SIGTERM");
      const forced = setTimeout(() => process.kill(group, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/** Resolves once `url` answers 200; the service's output when it exits first or the time runs out. */
export async function waitUntilServing(service: Service, url: string, timeoutMs: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    if (service.child.exitCode !== null) throw new Error(`exited before serving ${url}:\n${service.output.join("")}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(30_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${service.output.join("")}`);
}
