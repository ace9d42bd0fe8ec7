import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The end-to-end tests run the built `pintoken` as real subprocesses: room for a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
