import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: "esm",
  platform: "node",
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
