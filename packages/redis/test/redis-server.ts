import { type RedisServer, startRedisServer } from "@pintoken/test-support";
import { createClient } from "redis";
import { afterAll, beforeAll } from "vitest";

/** A connected node-redis client for tests; connection errors are expected in fault tests and are not logged. */
export async function connectClient(url: string) {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** A client of the real node-redis type, as the tests use it. */
export type TestClient = Awaited<ReturnType<typeof connectClient>>;

/**
 * Starts a `redis-server` (and a client on it) before the tests of the calling file or `describe` block, and stops
 * both after them.
 */
export function useRedis(options: { persistent?: boolean } = {}): {
  readonly server: RedisServer;
  readonly client: TestClient;
} {
  let server: RedisServer | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => {
    server = await startRedisServer(options);
    client = await connectClient(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useRedis(): the server starts in beforeAll; use it inside tests");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}
