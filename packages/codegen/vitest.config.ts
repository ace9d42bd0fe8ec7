import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The packed-tarball test installs with npm and runs openapi-typescript on Pinterest's whole description.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
