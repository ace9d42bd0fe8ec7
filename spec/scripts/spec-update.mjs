#!/usr/bin/env node
/**
 * `pnpm spec:update`: starts the worker threads first, so that they load Redocly and TypeScript while this thread
 * loads tsx and the rest of the pipeline, then runs the CLI (spec-update.ts). Plain JavaScript for that reason: with
 * `node --import tsx`, the workers would start only after tsx.
 */
import { closeWorkers, startPipelineWorkers } from "./lib/workers.mjs";

const workers = startPipelineWorkers();
try {
  const { register } = await import("tsx/esm/api");
  register();
  const { specUpdateCli } = await import("./spec-update.ts");
  await specUpdateCli(process.argv.slice(2), workers);
} finally {
  await closeWorkers(workers);
}
