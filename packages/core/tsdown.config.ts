import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/api.ts", "src/testing.ts", "src/crypto.ts", "src/keep-alive.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
