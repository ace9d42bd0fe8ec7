/**
 * `pnpm demo`: the mock Pinterest and the Next.js app (production build), with both URLs and what to click;
 * Ctrl+C stops both. `--dev` runs `next dev` instead. With `PINTEREST_CLIENT_ID`, `PINTEREST_CLIENT_SECRET` and
 * `PINTOKEN_SECRET` set, the same app talks to Pinterest (or its sandbox, with `PINTEREST_API_BASE_URL`) and no mock
 * starts.
 *
 * Environment: `PORT` (the app's, default 3000), `PINTOKEN_MOCK_PORT` (the mock's, default 4010; 0 for any free one).
 *
 * @module
 */
import {
  appHost,
  checkPortFree,
  type DemoServers,
  DemoSetupError,
  portFrom,
  startDemoServers,
  usesRealPinterest,
} from "./servers.ts";

/** The mock's access tokens live 10 minutes here (Pinterest's: 30 days), so that refreshes happen while you watch. */
const accessTokenTtlSeconds = 600;

const dev = process.argv.includes("--dev");

function banner(appUrl: string, mockUrl: string | undefined): string {
  const lines = [
    "",
    `pintoken demo is running (${dev ? "next dev" : "production build"}). Ctrl+C stops it.`,
    "",
    `  App             ${appUrl}`,
  ];
  if (mockUrl) {
    lines.push(
      `  Mock Pinterest  ${mockUrl}  (API ${mockUrl}/v5, consent page ${mockUrl}/oauth/, control API ${mockUrl}/__pintoken)`,
      "",
      `Open ${appUrl} and click "Connect Pinterest". The mock's consent page (marked "mock served by @pintoken/mock")`,
      "asks you to Allow or Deny; Allow brings you back connected: your account, the granted scopes and a live",
      'countdown to the access token\'s expiry. Then try "Refresh now", "Disconnect", the "Server Component & Action"',
      `page, and a second tab. The mock's access tokens live ${accessTokenTtlSeconds / 60} minutes, so you can watch ` +
        "them being refreshed.",
    );
  } else {
    lines.push(
      `  Pinterest API   ${process.env.PINTEREST_API_BASE_URL ?? "https://api.pinterest.com/v5"}`,
      "",
      `Open ${appUrl} and click "Connect Pinterest". Pinterest sends you back to ${appUrl}/api/pinterest/callback:`,
      "it must be one of your app's redirect URIs (https://developers.pinterest.com/apps/).",
    );
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const env = process.env;
  const port = portFrom(env, "PORT", 3000);
  const mockPort = portFrom(env, "PINTOKEN_MOCK_PORT", 4010);
  const real = usesRealPinterest(env);
  await checkPortFree(port, appHost, "the demo app", `run it on another port: PORT=${port + 1} pnpm demo`);
  if (!real && mockPort !== 0) {
    await checkPortFree(
      mockPort,
      "127.0.0.1",
      "the mock Pinterest",
      `give the mock another port: PINTOKEN_MOCK_PORT=0 pnpm demo (0 picks a free one)`,
    );
  }
  // Ctrl+C while the servers start stops what has started; once they run, it stops both in order.
  const starting = new AbortController();
  let servers: DemoServers | undefined;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second Ctrl+C: do not wait any longer
    stopping = true;
    console.log(`\n${signal}: stopping the app${real ? "" : " and the mock Pinterest"}…`);
    if (!servers) return starting.abort();
    await servers.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  try {
    servers = await startDemoServers({
      port,
      mockPort,
      dev,
      accessTokenTtlSeconds,
      env,
      stdio: "inherit",
      signal: starting.signal,
    });
  } catch (error) {
    if (!starting.signal.aborted) throw error;
    console.log("Stopped.");
    process.exit(0);
  }
  console.log(banner(servers.appUrl, servers.mock?.url));
  try {
    await servers.exited;
  } catch (error) {
    // next stopped by itself (a crash): take the mock down too
    console.error(error instanceof Error ? error.message : String(error));
    await servers.stop();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof DemoSetupError
      ? `\npnpm demo: ${error.message}\n`
      : `\npnpm demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
