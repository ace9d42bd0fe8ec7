/**
 * What the end-to-end suite needs from the machine: Debian's Chromium, the production build, and free loopback ports.
 */
import { existsSync } from "node:fs";
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

/**
 * Throws when there is no production build in `.next`. turbo runs the suite after `build`, which rebuilds (or restores)
 * it whenever the app or a package it uses changed; run through turbo to never test a stale build.
 */
export function requireBuild(): void {
  if (!existsSync(join(appDir, ".next/BUILD_ID"))) {
    throw new Error(
      "The demo has no production build (apps/demo/.next): run `pnpm turbo run test --filter=@pintoken/demo`, " +
        "which builds first.",
    );
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
