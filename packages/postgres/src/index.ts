/**
 * A PostgreSQL `TokenStore` for `@pintoken/core`, for apps that keep many users' Pinterest grants in the database
 * they already run: compare-and-set on a version column, a refresh lock that is an expiring lease row (never a
 * transaction held across the call to Pinterest), optional AES-256-GCM encryption at rest, a tenant column,
 * configurable names, an idempotent migration, and `due()` so that `createKeepAlive()` finds the grants about to lapse.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth, createTokenManager } from "@pintoken/core";
 * import { migratePostgresTokenStore, PostgresTokenStore } from "@pintoken/postgres";
 * import pg from "pg";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migratePostgresTokenStore(pool);
 * const store = new PostgresTokenStore({ db: pool });
 * const manager = createTokenManager({ oauth: createPinterestOAuth({ clientId, clientSecret }), store, key: userId });
 * const accessToken = await manager.getAccessToken(); // one refresh across every process
 * ```
 *
 * @module
 */
export { PostgresStoreError, type PostgresStoreErrorReason } from "./errors.ts";
export {
  type PostgresTokenLock,
  PostgresTokenStore,
  type PostgresTokenStoreOptions,
} from "./postgres-token-store.ts";
export type { PostgresQueryable } from "./query.ts";
export {
  migratePostgresTokenStore,
  migrationSql,
  type PostgresColumnNames,
  type PostgresTableOptions,
} from "./schema.ts";
