import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/server.ts", "src/testing.ts", "src/cli.ts"],
  format: "esm",
  platform: "neutral",
  // The server entry and the CLI use node:http and node:util, the testing entry msw/node; the main entry uses web
  // standards only.
  deps: { neverBundle: [/^node:/] },
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
