import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A valid refresh answer, as Pinterest sends it (continuous refresh: a new refresh token with its expiry). */
export const refreshAnswer = JSON.stringify({
  access_token: `pina_${"a".repeat(120)}`,
  token_type: "bearer",
  expires_in: 2_592_000,
  scope: "user_accounts:read,pins:read",
  response_type: "refresh_token",
  refresh_token: `pinr_${"b".repeat(120)}`,
  refresh_token_expires_in: 5_184_000,
  refresh_token_expires_at: 1_800_000_000,
});

/**
 * The least server that can stand in for Pinterest's token endpoint: on 127.0.0.1, it reads the request body and
 * answers every request with `refreshAnswer`. Its own cost is as small as Node's HTTP stack allows, so what a client
 * adds on top shows up.
 */
export async function startTokenServer(): Promise<{ apiBaseUrl: string; close: () => Promise<void> }> {
  const length = String(Buffer.byteLength(refreshAnswer));
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "content-length": length });
      response.end(refreshAnswer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBaseUrl: `http://127.0.0.1:${port}/v5`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
