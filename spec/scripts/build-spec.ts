/**
 * `pnpm generate` (in spec/): spec/upstream/openapi.yaml + spec/overlay.yaml → spec/openapi.yaml.
 * `--check` writes nothing and fails when spec/openapi.yaml is stale; `--root <dir>` builds another checkout.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildSpec } from "./lib/build.ts";
import { runCli } from "./lib/cli.ts";

await runCli(async (args) => {
  const { values } = parseArgs({
    args,
    options: { check: { type: "boolean", default: false }, root: { type: "string" } },
  });
  const { check } = values;
  const { changed } = await buildSpec({ check, ...(values.root ? { root: resolve(values.root) } : {}) });
  console.log(
    check
      ? "spec/openapi.yaml is up to date"
      : changed.length
        ? "wrote spec/openapi.yaml"
        : "spec/openapi.yaml unchanged",
  );
});
