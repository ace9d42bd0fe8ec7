import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@pintoken/source"] },
  ssr: { resolve: { conditions: ["@pintoken/source"] } },
  test: { include: ["src/**/*.test.ts"] },
});
