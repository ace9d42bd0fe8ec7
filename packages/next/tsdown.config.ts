import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  platform: "neutral",
  // next is an optional peer dependency, imported only when the Next.js helpers run.
  deps: { neverBundle: [/^next(\/|$)/] },
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
