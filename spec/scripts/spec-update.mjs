#!/usr/bin/env node
/**
 * `pnpm spec:update`: runs the pipeline (spec-update.ts) from its bundles (see lib/bundle.mjs), making them first
 * when they are missing or stale, and starts the worker threads before it loads the pipeline, so that they load
 * Redocly and TypeScript meanwhile. Plain JavaScript: it runs before anything could load TypeScript sources.
 */
import { pipelineBundles } from "./lib/bundle.mjs";
import { closeWorkers, startPipelineWorkers } from "./lib/workers.mjs";

let bundles;
try {
  bundles = await pipelineBundles();
} catch (error) {
  console.error(`error: ${/** @type {Error} */ (error).message}\nNothing was written.`);
  process.exit(1);
}
const workers = startPipelineWorkers({ lint: bundles.lint });
try {
  /** @type {typeof import("./spec-update.ts")} */
  const { specUpdateCli } = await import(bundles.main.href);
  const bundled = bundles.built && { name: "bundle the pipeline", thread: "main", ...bundles.built };
  await specUpdateCli(process.argv.slice(2), workers, bundled ? [bundled] : []);
} finally {
  await closeWorkers(workers);
}
