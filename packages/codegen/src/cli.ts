#!/usr/bin/env node
/**
 * `pintoken-codegen` (`npx @pintoken/codegen <file-or-url> -o <file>`): Pinterest API types from a Pinterest release,
 * with pintoken's corrections, and what changed since the file it replaces.
 *
 * @example
 * ```sh
 * npx @pintoken/codegen https://raw.githubusercontent.com/pinterest/api-description/main/v5/openapi.json -o src/pinterest.d.ts
 * ```
 *
 * @module
 */
import { runCli } from "./run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
