/**
 * What the end-to-end suite needs from the machine: Debian's Chromium, the production build, and free loopback ports.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { MockPinterestServer } from "@pintoken/mock/server";
import { freePort } from "@pintoken/test-support";
import { appDir, appHost, type DemoServers, type Env, startDemoServers } from "../scripts/servers.ts";

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

/** What a started app gets from this environment: `PATH`, `HOME` and `TMPDIR` (where set), nothing else. */
export function passedOnEnv(): Env {
  return Object.fromEntries(
    ["PATH", "HOME", "TMPDIR"].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
}

/**
 * Starts the mock and `next start` on free loopback ports, on the mock Pinterest: only what Next needs is passed on
 * from this environment (`PATH`, `HOME`, `TMPDIR`), plus `env`, so that real-Pinterest settings of the person running
 * it never leak in. Next's output is kept in `output`.
 */
export async function startOnFreePorts(options: {
  accessTokenTtlSeconds: number;
  env?: Env;
  signal?: AbortSignal;
}): Promise<DemoServers & { mock: MockPinterestServer }> {
  const env = { ...passedOnEnv(), ...options.env };
  let servers: DemoServers | undefined;
  // A port taken by someone else between picking it and next binding it: start again on another one.
  for (let attempt = 1; !servers; attempt++) {
    try {
      servers = await startDemoServers({
        port: await freePort(appHost),
        mockPort: 0,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds,
        env,
        stdio: "pipe",
        signal: options.signal,
      });
    } catch (error) {
      if (attempt === 3 || options.signal?.aborted) throw error;
    }
  }
  if (!servers.mock) {
    await servers.stop();
    throw new Error("the demo started without the mock Pinterest");
  }
  return servers as DemoServers & { mock: MockPinterestServer };
}
