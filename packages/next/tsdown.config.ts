import { defineConfig } from "tsdown";

export default defineConfig({
  // index: the route handler and server helpers; contract: the HTTP contract's types; client: the browser bridge.
  entry: ["src/index.ts", "src/contract.ts", "src/client.ts"],
  format: "esm",
  platform: "neutral",
  // next and react are optional peer dependencies, imported only by the Next.js helpers and the browser bridge.
  deps: { neverBundle: [/^next(\/|$)/, /^react(\/|$)/] },
  target: "es2022",
  dts: true,
  sourcemap: true,
  fixedExtension: false,
  hash: false,
});
