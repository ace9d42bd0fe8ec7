import { defineConfig } from "tsdown";

export default defineConfig({
  // The library (the file token store), the `pintoken` bin, and the background mock Pinterest that `--mock` starts.
  entry: ["src/index.ts", "src/cli.ts", "src/mock-server.ts"],
  format: "esm",
  platform: "node",
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
