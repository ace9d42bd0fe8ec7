import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { bundleSize, coreBudgets } from "../test/bundle-size.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

it.each(coreBudgets)("$name stays within $budget bytes min+gzip in a browser bundle", async ({ entry, budget }) => {
  const { gzipped } = await bundleSize(entry, root);
  expect(gzipped).toBeGreaterThan(500); // the bundle really contains the client
  expect(gzipped).toBeLessThanOrEqual(budget);
});

it("the OAuth client and token manager bundle neither openapi-fetch nor the generic schema validator", async () => {
  const { build } = await import("esbuild");
  const result = await build({
    stdin: { contents: coreBudgets[1].entry, resolveDir: root, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["@pintoken/source"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((path) => /openapi-fetch|validate\.ts|schemas\.gen\.ts/.test(path))).toEqual([]);
  expect(inputs).toContain("src/generated/token-checks.gen.ts");
  const code = result.outputFiles[0]?.text ?? "";
  expect(code).toContain("refresh_token_expires_in"); // the token response shape, generated from the spec
  expect(code).not.toContain("OauthAccessTokenRequest");
  expect(code).not.toContain("profile_image");
});
