#!/usr/bin/env node
/**
 * `pintoken-mock`: serves a mock Pinterest over HTTP and prints its URLs and test credentials.
 *
 * @example
 * ```sh
 * pintoken-mock --port 4010 --auto-approve
 * ```
 *
 * @module
 */
import { runCli } from "./node/run-cli.ts";

const output = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };

try {
  const server = await runCli(process.argv.slice(2), output);
  if (server) {
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
} catch (error) {
  output.err(
    `pintoken-mock: ${error instanceof Error ? error.message : String(error)}\nRun pintoken-mock --help for usage.\n`,
  );
  process.exitCode = 1;
}
