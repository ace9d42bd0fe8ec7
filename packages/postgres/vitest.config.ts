import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    include: ["src/**/*.test.ts"],
    typecheck: { include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // Each file starts its own PostgreSQL server (and some spawn Node processes): give start-up room on a loaded machine.
    hookTimeout: 60_000,
  },
});
