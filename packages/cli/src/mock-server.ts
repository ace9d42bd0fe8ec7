/**
 * The mock Pinterest that `pintoken --mock` starts in the background (`@pintoken/mock/server` on a free loopback
 * port), so that a session signed in by one command is the one the next command uses. It prints its URLs as one JSON
 * line, then runs until `pintoken --mock logout` stops it or nothing has called it for `--idle-minutes`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";

const { values } = parseArgs({
  options: {
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "idle-minutes": { type: "string", default: "30" },
  },
});

const server = await startMockPinterest({
  port: 0,
  clients: [{ ...mockClient, redirectUris: [...mockClient.redirectUris, ...values["redirect-uri"]] }],
});
const startedAt = Date.now();
const idleMs = Number(values["idle-minutes"]) * 60_000;

process.stdout.write(
  `${JSON.stringify({ pid: process.pid, url: server.url, apiBaseUrl: server.apiBaseUrl, authorizationEndpoint: server.authorizationEndpoint })}\n`,
);

const stop = async () => {
  clearInterval(idleCheck);
  await server.close();
  process.exit(0);
};
const idleCheck = setInterval(
  () => {
    const lastCall = server.mock.calls.last()?.at ?? startedAt;
    if (Date.now() - Math.max(lastCall, startedAt) > idleMs) void stop();
  },
  Math.min(idleMs, 30_000),
);
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
