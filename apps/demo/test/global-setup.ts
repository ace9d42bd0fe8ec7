/**
 * Starts what the whole suite shares, once: the mock Pinterest and `next start` on the production build, on free
 * loopback ports (as `pnpm demo` does). The test files get the URLs through `inject()`.
 */
import type { TestProject } from "vitest/node";
import { requireBuild, requireChromium, startOnFreePorts } from "./environment.ts";

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
  // An hour: no refresh happens on its own while a test runs (a page would refresh within 10 minutes of expiry).
  const servers = await startOnFreePorts({ accessTokenTtlSeconds: 3600 });
  project.provide("appUrl", servers.appUrl);
  project.provide("mockUrl", servers.mock.url);
  project.provide("sessionSecret", servers.sessionSecret);
  return () => servers.stop();
}
