import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Several tests run openapi-typescript on Pinterest's whole description: seconds alone, a minute on a loaded machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
