import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    include: ["src/**/*.test.ts"],
    // Each file starts its own PostgreSQL server (and some spawn Node processes): give start-up room on a loaded machine.
    hookTimeout: 60_000,
  },
});
