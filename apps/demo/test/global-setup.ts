/**
 * Starts what the whole suite shares, once: the mock Pinterest and `next start` on the production build, on free
 * loopback ports (as `pnpm demo` does). The test files get the URLs through `inject()`.
 */
import type { TestProject } from "vitest/node";
import { appHost, type DemoServers, startDemoServers } from "../scripts/servers.ts";
import { freePort, requireBuild, requireChromium } from "./environment.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://localhost:<port>` */
    appUrl: string;
    /** The mock's origin, e.g. `http://127.0.0.1:<port>` */
    mockUrl: string;
    /** The app's `PINTOKEN_SECRET` for this run */
    sessionSecret: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  requireChromium();
  requireBuild();
  let servers: DemoServers | undefined;
  // A port taken by someone else between picking it and next binding it: start again on another one.
  for (let attempt = 1; !servers; attempt++) {
    try {
      servers = await startDemoServers({
        port: await freePort(appHost),
        mockPort: 0,
        // An hour: no refresh happens on its own while a test runs (a page would refresh within 10 minutes of expiry).
        accessTokenTtlSeconds: 3600,
        // Only what Next needs: real-Pinterest settings of the person running the tests must not leak in.
        env: Object.fromEntries(
          ["PATH", "HOME", "TMPDIR"].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
        ),
        stdio: "pipe",
      });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  if (!servers.mock) throw new Error("the end-to-end suite runs on the mock Pinterest");
  project.provide("appUrl", servers.appUrl);
  project.provide("mockUrl", servers.mock.url);
  project.provide("sessionSecret", servers.sessionSecret);
  const running = servers;
  return () => running.stop();
}
