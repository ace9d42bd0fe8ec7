/** Deno subprocesses of the tests: this Deno binary, in the package directory, offline and never prompting. */
import { fileURLToPath } from "node:url";

export const packageDir: string = fileURLToPath(new URL("..", import.meta.url));

/** A `deno` command run in the package directory (so its deno.json applies), with update checks and prompts off. */
export function denoCommand(args: string[], options: Omit<Deno.CommandOptions, "args" | "cwd"> = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    ...options,
    args,
    cwd: packageDir,
    env: { ...options.env, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" },
  });
}

/**
 * `deno run` of one of the package's scripts as a user would run it: Deno KV on, core from source, and no more
 * permission than loopback network, the environment, and reading and writing `dir` (where its KV file lives).
 */
export function denoRun(script: string, dir: string, scriptArgs: string[] = []): string[] {
  return [
    "run",
    "--quiet",
    "--no-remote",
    "--unstable-kv",
    "--conditions=@pintoken/source",
    "--allow-env",
    "--allow-net=127.0.0.1",
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
    script,
    ...scriptArgs,
  ];
}
