/**
 * The worker side of {@link ./workers.ts}: when this thread was started for `task`, answers every message with
 * `run(message)`, or with the error it threw. Plain JavaScript, like the tasks that call it, so that a worker
 * thread runs without tsx's loader (openapi-typescript and TypeScript load about 30% faster without it).
 */
import { parentPort, workerData } from "node:worker_threads";

/**
 * @template I, O
 * @param {string} task the name `startWorker` was given
 * @param {(input: I) => Promise<O>} run
 */
export function serveWorker(task, run) {
  const port = parentPort;
  if (!port || workerData?.pintokenTask !== task) return;
  port.on("message", async (/** @type {I} */ input) => {
    try {
      port.postMessage({ ok: true, value: await run(input) });
    } catch (error) {
      const { message, stack } = /** @type {Error} */ (error);
      port.postMessage({ ok: false, message, stack });
    }
  });
  // When the task's modules finished loading (epoch ms), for spec:update's timings.
  port.postMessage({ ready: performance.timeOrigin + performance.now() });
}
