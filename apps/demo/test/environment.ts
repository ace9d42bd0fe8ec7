/**
 * What the end-to-end suite needs from the machine: Debian's Chromium, a production build that is not older than the
 * app, and free loopback ports.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { appDir } from "../scripts/servers.ts";

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Throws, saying how to install it, when Chromium is missing. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The demo's browser tests drive Chromium, and ${chromiumPath} does not exist. Install it with ` +
        "`apt-get install chromium` (Debian/Ubuntu; .ci/run does this), or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
}

function newest(path: string): { path: string; mtimeMs: number } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let best = { path, mtimeMs: 0 };
  for (const entry of readdirSync(path)) {
    const candidate = newest(join(path, entry));
    if (candidate.mtimeMs > best.mtimeMs) best = candidate;
  }
  return best;
}

/** What the production build is made of: the app's files and the packages' builds. */
const buildInputs = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package.json",
  "../../packages/core/dist",
  "../../packages/next/dist",
  "../../packages/react/dist",
];

/** Throws when there is no production build in `.next`, or when it is older than what it is built from. */
export function requireFreshBuild(): void {
  const buildId = join(appDir, ".next/BUILD_ID");
  const fix = "run `pnpm turbo run test --filter=@pintoken/demo`, which builds first";
  if (!existsSync(buildId)) throw new Error(`The demo has no production build (apps/demo/.next): ${fix}.`);
  const built = statSync(buildId).mtimeMs;
  for (const input of buildInputs) {
    const path = join(appDir, input);
    if (!existsSync(path)) throw new Error(`${path} is missing: ${fix}.`);
    const changed = newest(path);
    if (changed.mtimeMs > built) {
      throw new Error(`The demo's production build is older than ${changed.path}: ${fix}.`);
    }
  }
}

/** A port that was free a moment ago on `host`. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
