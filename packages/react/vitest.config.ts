import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

/** React 18.3 and its own react-dom and Testing Library, installed by the private package in test/react-18. */
const react18 = (name: string) => fileURLToPath(new URL(`./test/react-18/node_modules/${name}`, import.meta.url));

export default defineConfig({
  ...sourceConditions,
  test: {
    environment: "./test/browser-environment.ts",
    projects: [
      {
        extends: true,
        test: {
          name: "react-19",
          env: { PINTOKEN_REACT_MAJOR: "19" },
          include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
        },
      },
      {
        // The same React tests again on React 18.3: every import of react, react-dom and Testing Library from the
        // package and its tests resolves to test/react-18 (whose react-dom and Testing Library use React 18 too).
        extends: true,
        resolve: {
          alias: [
            { find: /^react(\/.*)?$/, replacement: `${react18("react")}$1` },
            { find: /^react-dom(\/.*)?$/, replacement: `${react18("react-dom")}$1` },
            { find: /^@testing-library\/react$/, replacement: react18("@testing-library/react") },
          ],
        },
        test: { name: "react-18", env: { PINTOKEN_REACT_MAJOR: "18" }, include: ["src/**/*.test.tsx"] },
      },
    ],
  },
});
