/**
 * What a refresh makes of real network failures: Node's own fetch against real sockets on loopback, so the errors are
 * the ones production sees (not hand-made look-alikes).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { credentials, tokenBody } from "../test/helpers.ts";
import { createPinterestOAuth } from "./client.ts";
import { OutcomeUnknownError, PinterestNetworkError } from "./errors.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
    server.closeAllConnections();
  }
});

/** A loopback server that hands each request to `handle`, counting them. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const seen = { requests: 0 };
  const server = createServer((request, response) => {
    seen.requests++;
    request.resume();
    request.on("end", () => handle(request, response));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v5`, seen, server };
}

const oauthAt = (baseUrl: string, extra: { timeoutMs?: number; answerTimeoutMs?: number } = {}) =>
  createPinterestOAuth({ ...credentials, baseUrl, retry: { retries: 2, minDelayMs: 10, maxDelayMs: 20 }, ...extra });

const answer = (_: IncomingMessage, response: ServerResponse) =>
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(tokenBody("refresh_token")));

describe("a refresh over real sockets", () => {
  it("a refused connection (nothing was sent) is retried, then reported as a network error", async () => {
    const { baseUrl, server } = await serve(answer);
    await new Promise((resolve) => server.close(resolve)); // the port is closed now: connections are refused
    const error = await oauthAt(baseUrl)
      .refresh({ refreshToken: "pinr_a" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(PinterestNetworkError);
    expect(error).not.toBeInstanceOf(OutcomeUnknownError);
  });

  it("a connection dropped after the request arrived is an unknown outcome, never retried", async () => {
    const { baseUrl, seen } = await serve((request) => request.socket.destroy());
    const error = await oauthAt(baseUrl)
      .refresh({ refreshToken: "pinr_a" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(seen.requests).toBe(1);
  });

  it("an answer slower than timeoutMs is read, not abandoned", async () => {
    const { baseUrl, seen } = await serve((_, response) => setTimeout(() => answer(_, response), 300));
    const tokens = await oauthAt(baseUrl, { timeoutMs: 50 }).refresh({ refreshToken: "pinr_a" });
    expect(tokens.refreshToken).toMatch(/^pinr_refresh_/);
    expect(seen.requests).toBe(1);
  });

  it("no answer within answerTimeoutMs: the connection is closed and the outcome is unknown", async () => {
    let closed = false;
    const { baseUrl, seen } = await serve((_, response) => response.on("close", () => (closed = true)));
    const error = await oauthAt(baseUrl, { answerTimeoutMs: 200 })
      .refresh({ refreshToken: "pinr_a" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    await expect.poll(() => closed).toBe(true);
    expect(seen.requests).toBe(1);
  });
});
