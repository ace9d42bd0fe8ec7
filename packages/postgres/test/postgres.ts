import { type PostgresServer, startPostgres } from "@pintoken/test-support";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { migratePostgresTokenStore } from "../src/schema.ts";

/** A pool on `url` whose idle-client errors (a server killed on purpose) are expected and not logged. */
export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 2_000 });
  pool.on("error", () => {});
  return pool;
}

/**
 * Starts a PostgreSQL server (a throwaway cluster, one per test file) with the default tables migrated, and a pool on
 * it, before the tests of the calling file, and stops both after them.
 */
export function usePostgres(): { readonly server: PostgresServer; readonly pool: pg.Pool } {
  let server: PostgresServer | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    pool = createPool(server.url);
    await migratePostgresTokenStore(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("usePostgres(): the server starts in beforeAll; use it inside tests");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get pool() {
      return started(pool);
    },
  };
}
