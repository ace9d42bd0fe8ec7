import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The app lives in the pnpm workspace: its packages resolve from the repository root.
const root = fileURLToPath(new URL("../..", import.meta.url));

const config: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
};

export default config;
