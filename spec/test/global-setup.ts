/**
 * Writes the upstream-shaped fixture (JSON and YAML) once per test run into a temporary directory and tells the
 * tests where it is through `inject("upstreamJson")` / `inject("upstreamYaml")`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { writeUpstreamFixture } from "./fixtures/make-upstream.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the full fixture as JSON (named openapi.json, like Pinterest's). */
    upstreamJson: string;
    /** Path of the same fixture as YAML (openapi.yaml). */
    upstreamYaml: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "pintoken-upstream-fixture-"));
  const { json, yaml } = await writeUpstreamFixture(dir, { yaml: true });
  project.provide("upstreamJson", json);
  project.provide("upstreamYaml", yaml as string);
  return () => rm(dir, { recursive: true, force: true });
}
