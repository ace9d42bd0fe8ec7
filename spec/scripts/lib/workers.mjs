/**
 * The main-thread side of {@link ./worker-task.mjs}: starts a task module in a worker thread and runs it. Plain
 * JavaScript, so that `scripts/spec-update.mjs` can start spec:update's workers before it loads tsx.
 */
import { Worker } from "node:worker_threads";

/**
 * A task running in its own worker thread: started early so that its modules load while the main thread works.
 * @template I, O
 * @typedef {object} WorkerTask
 * @property {(input: I) => Promise<O>} run sends one input; resolves with the task's answer, rejects with its error
 * @property {Promise<number>} loaded when the thread had loaded the task's modules (epoch ms; NaN if it failed)
 * @property {() => Promise<void>} close stops the thread
 */

/**
 * Starts `module` (a plain-JavaScript task module that calls `serveWorker(task, …)`) in a worker thread without
 * tsx's loader (`execArgv: []`), and returns a handle to run it. One input at a time.
 * @template I, O
 * @param {URL} module
 * @param {string} task
 * @returns {WorkerTask<I, O>}
 */
export function startWorker(module, task) {
  const worker = new Worker(module, { workerData: { pintokenTask: task }, execArgv: [] });
  /** @type {{ resolve: (value: O) => void, reject: (error: Error) => void } | undefined} */
  let pending;
  /** @type {Error | undefined} */
  let failure;
  /** @type {(at: number) => void} */
  let markLoaded = () => {};
  /** @type {Promise<number>} */
  const loaded = new Promise((resolve) => {
    markLoaded = resolve;
  });
  /** @param {Error} error */
  const fail = (error) => {
    failure ??= error;
    markLoaded(Number.NaN);
    pending?.reject(error);
    pending = undefined;
  };
  worker.on(
    "message",
    (
      /** @type {{ ready: number } | { ok: true, value: O } | { ok: false, message: string, stack?: string }} */ answer,
    ) => {
      if ("ready" in answer) return markLoaded(answer.ready);
      const settle = pending;
      pending = undefined;
      if (answer.ok) settle?.resolve(answer.value);
      else settle?.reject(Object.assign(new Error(answer.message), answer.stack ? { stack: answer.stack } : {}));
    },
  );
  worker.on("error", (error) => fail(new Error(`The ${task} worker failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => fail(new Error(`The ${task} worker stopped (exit code ${code}) before it answered.`)));
  return {
    loaded,
    run(input) {
      if (failure) return Promise.reject(failure);
      if (pending) return Promise.reject(new Error(`The ${task} worker is busy.`));
      return new Promise((resolve, reject) => {
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

/**
 * The two worker threads of spec:update: Redocly's lint, and openapi-typescript (given the description as JSON).
 * @typedef {object} PipelineWorkers
 * @property {WorkerTask<{ json: string, path: string, configPath: string }, import("./lint.mjs").LintResult>} lint
 * @property {WorkerTask<string, string>} types
 */

/**
 * Starts spec:update's workers; call it first, so that they load Redocly and TypeScript while the rest loads.
 * @param {{ lint?: URL }} [modules] the lint task's module (default: lint.mjs; spec:update runs its bundle)
 * @returns {PipelineWorkers}
 */
export function startPipelineWorkers({ lint = new URL("./lint.mjs", import.meta.url) } = {}) {
  return {
    types: startWorker(new URL("./types.mjs", import.meta.url), "types"),
    lint: startWorker(lint, "lint"),
  };
}

/**
 * Stops both workers.
 * @param {PipelineWorkers} workers
 */
export async function closeWorkers(workers) {
  await Promise.all([workers.types.close(), workers.lint.close()]);
}
