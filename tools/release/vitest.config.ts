import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts"],
    // Packing, npm installs, `next build` and TypeScript programs: generous room on a loaded 2-core machine.
    hookTimeout: 600_000,
  },
});
