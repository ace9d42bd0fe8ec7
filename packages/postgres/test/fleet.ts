import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromWorker, Outcome, RunJob, ToWorker } from "./worker.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url));

/** What one worker process reported for a run. */
export interface ProcessReport {
  readonly outcomes: Outcome[];
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** A Node process running `worker.ts` (from TypeScript source: no build needed). */
export interface Worker {
  send(message: ToWorker): void;
  /** Resolves with the next message of this type; rejects if the process exits or reports a failure first. */
  next<T extends FromWorker["type"]>(type: T): Promise<Extract<FromWorker, { type: T }>>;
  kill(): Promise<void>;
}

export async function startWorker(pgUrl: string): Promise<Worker> {
  const child: ChildProcess = fork(workerPath, [], {
    cwd: packageDir,
    execArgv: ["--conditions=@pintoken/source", "--import", "tsx"],
    env: { ...process.env, PINTOKEN_TEST_PG_URL: pgUrl },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const worker: Worker = {
    send: (message) => child.send(message),
    next: (type) =>
      new Promise((resolve, reject) => {
        const onMessage = (message: FromWorker) => {
          if (message.type === type) done(() => resolve(message as never));
          else if (message.type === "failed") done(() => reject(new Error(`worker failed: ${message.message}`)));
        };
        const onExit = (code: number | null, signal: string | null) =>
          done(() => reject(new Error(`worker exited (${code ?? signal}) while a test waited for "${type}"`)));
        const done = (settle: () => void) => {
          child.off("message", onMessage);
          child.off("exit", onExit);
          settle();
        };
        child.on("message", onMessage);
        child.on("exit", onExit);
      }),
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
  await worker.next("ready");
  return worker;
}

/** Worker processes that all run the same job at once. */
export interface Fleet {
  /** Sets the job up in every process, then starts them together; resolves with every process's report. */
  run(job: RunJob, options?: { onStarted?: () => void | Promise<void> }): Promise<ProcessReport[]>;
  close(): Promise<void>;
}

export async function startFleet(size: number, pgUrl: string): Promise<Fleet> {
  const workers = await Promise.all(Array.from({ length: size }, () => startWorker(pgUrl)));
  return {
    async run(job, options) {
      const ready = workers.map((w) => w.next("ready"));
      for (const w of workers) w.send({ type: "prepare", job });
      await Promise.all(ready);
      const done = workers.map((w) => w.next("done"));
      for (const w of workers) w.send({ type: "go" });
      await options?.onStarted?.();
      return Promise.all(done);
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.kill()));
    },
  };
}
