/** A server as a child process of a test: what `startRedisServer()` and `startPostgres()` share. */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

/** A real server on a loopback port, started by a test file and stopped after it. */
export interface TestServer {
  /** How to connect (`redis://127.0.0.1:<port>`, `postgres://postgres@127.0.0.1:<port>/postgres`). */
  readonly url: string;
  readonly port: number;
  /** The server's process id (changes on restart). */
  readonly pid: number;
  /** Kills it at once (SIGKILL), as a crash would: no shutdown, connections drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory (whatever it had persisted is back). */
  restart(): Promise<void>;
  /** Freezes (SIGSTOP) it: connections stay open, nothing is answered, until `thaw()`. */
  freeze(): void;
  thaw(): void;
  /** Stops it and deletes its directory. */
  stop(): Promise<void>;
}

/**
 * Spawns `binary` and resolves once its output (stdout or stderr) contains `readyLine`; rejects with everything it
 * printed when it exits first or is not ready within 30 s (then it is killed). After that its output is drained.
 */
export function launchUntilReady(
  binary: string,
  args: string[],
  options: { name: string; readyLine: string; spawn?: SpawnOptions; kill?: (child: ChildProcess) => void },
): Promise<ChildProcess> {
  const { name, readyLine } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...options.spawn, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => {
      (options.kill ?? ((c: ChildProcess) => c.kill("SIGKILL")))(child);
      reject(new Error(`${name} did not get ready within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stderr?.removeAllListeners("data");
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
