import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    // Builds the ~2 MB upstream-shaped fixture once per run (see test/global-setup.ts).
    globalSetup: ["test/global-setup.ts"],
    // spec:update on the full fixture takes seconds; on a busy 2-core machine give it room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
