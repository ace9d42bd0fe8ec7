import { once } from "node:events";
import { createServer } from "node:net";

/**
 * A TCP port that is free on `host` right now, found by letting the OS pick one and closing it again. Only loopback
 * hosts are accepted: tests never listen on, or send to, anything else.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * await startMockPinterest({ port });
 * ```
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new Error(`freePort: ${JSON.stringify(host)} is not a loopback host; use 127.0.0.1, localhost or ::1.`);
  }
  const server = createServer().listen(0, host);
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error(`freePort: no TCP address for ${host}`);
  return address.port;
}
