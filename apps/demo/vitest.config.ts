import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  // The app's own `@/…` imports, for the tests that call its modules directly.
  resolve: { ...sourceConditions.resolve, alias: { "@/": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts", "scripts/**/*.test.ts"],
    // One production build, one mock and one `next start` for the whole suite (started in globalSetup); the files
    // share them, so they run one after another.
    globalSetup: ["test/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
