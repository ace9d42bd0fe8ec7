import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    // spec:update on Pinterest's 2 MB release takes seconds; on a busy 2-core machine give it room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
