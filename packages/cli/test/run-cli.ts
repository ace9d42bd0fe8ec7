/** Runs the built `pintoken` (dist/cli.js) as users do: a real subprocess, its own environment, its exit code. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
if (!existsSync(bin))
  throw new Error(
    `${bin} is missing: build first (pnpm turbo run build --filter=@pintoken/cli, which pnpm test does).`,
  );

/** The environment of a run: nothing of the test runner's but PATH, a home, and what the test gives. */
export function cliEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: extra.PINTOKEN_CONFIG_DIR ?? "/nonexistent", LANG: "C.UTF-8", ...extra };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `pintoken`, its output collected. */
export interface Running {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly done: Promise<Finished>;
  /** Resolves with the stderr text once it matches `pattern` (rejects if the process ends first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startCli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [bin, ...args], { env: cliEnv(env), stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const done = new Promise<Finished>((resolve) =>
    child.once("close", (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitForStderr(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${stderr}`))),
          timeoutMs,
        );
        const finish = (outcome: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          outcome();
        };
        const check = () => {
          const match = stderr.match(pattern);
          if (match) finish(() => resolve(match));
          else if (child.exitCode !== null || child.signalCode !== null)
            finish(() => reject(new Error(`pintoken ended before ${pattern} appeared:\n${stderr}`)));
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs `pintoken args…` to its end. */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<Finished> {
  const running = startCli(args, env);
  running.child.stdin.end(input ?? "");
  return running.done;
}

/** Approves a consent page over HTTP as the Allow button does, and follows the redirect to pintoken's loopback. */
export async function approve(consentUrl: string): Promise<Response> {
  const page = await fetch(consentUrl);
  if (!page.ok || !(await page.text()).includes('value="allow"')) throw new Error(`no consent page at ${consentUrl}`);
  const allowed = await fetch(consentUrl, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "decision=allow",
  });
  const location = allowed.headers.get("location");
  if (allowed.status !== 302 || !location) throw new Error(`Allow answered ${allowed.status} without a redirect`);
  return fetch(location);
}
