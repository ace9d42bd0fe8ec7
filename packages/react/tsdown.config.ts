import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  platform: "browser",
  // The HTTP contract's types are @pintoken/next's (a devDependency, imported as types only): the published .d.ts
  // carries a copy, so the package needs nothing of @pintoken/next to install or type-check.
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
