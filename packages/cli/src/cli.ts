#!/usr/bin/env node
/**
 * The `pintoken` bin: `npx @pintoken/cli <command>`. Ctrl+C aborts the command under way (a login frees its port)
 * and exits with 130.
 *
 * @module
 */
import { main } from "./main.ts";

const controller = new AbortController();
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) process.exit(130); // a second Ctrl+C does not wait
  interrupted = true;
  controller.abort(new Error("Interrupted"));
});
// `pintoken api … | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
