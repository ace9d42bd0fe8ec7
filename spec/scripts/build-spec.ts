/**
 * `pnpm generate` (in spec/): spec/upstream/openapi.yaml + spec/overlay.yaml → spec/openapi.yaml.
 * `--check` writes nothing and fails when spec/openapi.yaml is stale.
 */
import { buildSpec } from "./lib/build.ts";
import { runCli } from "./lib/cli.ts";

await runCli(async (args) => {
  const check = args.includes("--check");
  const { changed } = await buildSpec({ check });
  console.log(
    check
      ? "spec/openapi.yaml is up to date"
      : changed.length
        ? "wrote spec/openapi.yaml"
        : "spec/openapi.yaml unchanged",
  );
});
