import { Worker } from "node:worker_threads";
import type { LintResult } from "./lint.mjs";

/** A task running in its own worker thread: started early so that its modules load while the main thread works. */
export interface WorkerTask<I, O> {
  /** Sends one input and resolves with the task's answer (rejects with its error). */
  run(input: I): Promise<O>;
  /** When the thread had loaded the task's modules (epoch ms). */
  readonly loaded: Promise<number>;
  /** Stops the thread. */
  close(): Promise<void>;
}

type Answer<O> = { ready: number } | { ok: true; value: O } | { ok: false; message: string; stack?: string };

/**
 * Starts `module` (a plain-JavaScript task module that calls `serveWorker(task, …)`) in a worker thread without
 * tsx's loader (`execArgv: []`), and returns a handle to run it. One input at a time.
 */
export function startWorker<I, O>(module: URL, task: string): WorkerTask<I, O> {
  const worker = new Worker(module, { workerData: { pintokenTask: task }, execArgv: [] });
  let pending: { resolve: (value: O) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  let markLoaded: (at: number) => void = () => {};
  const loaded = new Promise<number>((resolve) => {
    markLoaded = resolve;
  });
  const fail = (error: Error) => {
    failure ??= error;
    markLoaded(Number.NaN);
    pending?.reject(error);
    pending = undefined;
  };
  worker.on("message", (answer: Answer<O>) => {
    if ("ready" in answer) return markLoaded(answer.ready);
    const settle = pending;
    pending = undefined;
    if (answer.ok) settle?.resolve(answer.value);
    else settle?.reject(Object.assign(new Error(answer.message), answer.stack ? { stack: answer.stack } : {}));
  });
  worker.on("error", (error) => fail(new Error(`The ${task} worker failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => fail(new Error(`The ${task} worker stopped (exit code ${code}) before it answered.`)));
  return {
    loaded,
    run(input) {
      if (failure) return Promise.reject(failure);
      if (pending) return Promise.reject(new Error(`The ${task} worker is busy.`));
      return new Promise<O>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(input);
      });
    },
    async close() {
      pending = undefined;
      failure ??= new Error(`The ${task} worker was closed.`);
      await worker.terminate();
    },
  };
}

/** The two worker threads of spec:update: Redocly's lint and openapi-typescript. */
export interface PipelineWorkers {
  lint: WorkerTask<{ json: string; path: string; configPath: string }, LintResult>;
  types: WorkerTask<string, string>;
}

/** Starts spec:update's workers; call it first, so that they load Redocly and TypeScript while the rest loads. */
export function startPipelineWorkers(): PipelineWorkers {
  return {
    types: startWorker(new URL("./types.mjs", import.meta.url), "types"),
    lint: startWorker(new URL("./lint.mjs", import.meta.url), "lint"),
  };
}
