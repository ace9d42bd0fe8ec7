import { readFileSync } from "node:fs";
import type { TokenSet } from "@pintoken/core";
import { freePort } from "@pintoken/test-support";
import { expect, it } from "vitest";
import { createPool, usePostgres } from "../test/postgres.ts";
import { PostgresStoreError } from "./errors.ts";
import { PostgresTokenStore } from "./postgres-token-store.ts";
import { migratePostgresTokenStore, migrationSql } from "./schema.ts";

const postgres = usePostgres();

const sample: TokenSet = {
  accessToken: "pina_m",
  tokenType: "bearer",
  scopes: [],
  expiresAt: 1,
  refreshToken: "pinr_m",
  refreshTokenExpiresAt: 2,
  responseType: "refresh_token",
};

it("the shipped SQL file is the migration for the default names", () => {
  const file = readFileSync(new URL("../migrations/pintoken-token-store.sql", import.meta.url), "utf8");
  expect(file).toBe(migrationSql());
});

it("migrates idempotently, and concurrent runs from several pools create each table once", async () => {
  const tables = { table: "m1_tokens", leaseTable: "m1_leases" };
  const pools = Array.from({ length: 4 }, () => createPool(postgres.server.url, 2));
  try {
    await Promise.all(pools.map((pool) => migratePostgresTokenStore(pool, tables)));
    await migratePostgresTokenStore(postgres.pool, tables);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
  const store = new PostgresTokenStore({ db: postgres.pool, ...tables });
  await store.set("k", sample);
  await migratePostgresTokenStore(postgres.pool, tables); // again, over data: nothing changes
  expect((await store.get("k"))?.tokenSet.accessToken).toBe("pina_m");
  const { rows } = await postgres.pool.query(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'm1_tokens' ORDER BY indexname",
  );
  expect(rows.map((r) => r.indexname)).toEqual(["m1_tokens_due", "m1_tokens_pkey"]);
});

it("a missing table is a schema error that says to migrate, and migrating fixes the same store instance", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, table: "m2_tokens", leaseTable: "m2_leases" });
  const error = await store.get("k").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PostgresStoreError);
  expect(error).toMatchObject({ code: "store_error", reason: "schema" });
  expect((error as Error).message).toMatch(
    /the table m2_tokens does not exist; the table m2_leases does not exist\. Run migratePostgresTokenStore/,
  );
  await migratePostgresTokenStore(postgres.pool, { table: "m2_tokens", leaseTable: "m2_leases" });
  expect(await store.get("k")).toBeUndefined();
});

it("a table that does not match the migration names every difference, and nothing is written", async () => {
  await postgres.pool.query(
    "CREATE TABLE m3_tokens (tenant text, key text, version integer, data text, updated_at timestamptz, PRIMARY KEY (tenant, key))",
  );
  await postgres.pool.query("INSERT INTO m3_tokens VALUES ('', 'k', 1, 'theirs', now())");
  await migratePostgresTokenStore(postgres.pool, { table: "m3_leases_only", leaseTable: "m3_leases" });
  const store = new PostgresTokenStore({ db: postgres.pool, table: "m3_tokens", leaseTable: "m3_leases" });
  const error = await store.set("k", sample).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: "PostgresStoreError", reason: "schema" });
  expect((error as Error).message).toContain("m3_tokens.version is integer, not text");
  expect((error as Error).message).toContain("m3_tokens has no column refresh_token_expires_at (bigint)");
  // migrate() does not change an existing table: it says the same, and the row is untouched.
  await expect(
    migratePostgresTokenStore(postgres.pool, { table: "m3_tokens", leaseTable: "m3_leases" }),
  ).rejects.toThrow(/m3_tokens\.version is integer, not text/);
  expect((await postgres.pool.query("SELECT data FROM m3_tokens")).rows).toEqual([{ data: "theirs" }]);
});

it("a wrong connection string fails fast with a typed error that says what to check", async () => {
  const wrongPort = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`);
  const wrongDatabase = createPool(postgres.server.url.replace(/\/postgres$/, "/no_such_database"));
  const wrongUser = createPool(postgres.server.url.replace("postgres@", "nobody_here@"));
  try {
    const started = performance.now();
    const refused = await new PostgresTokenStore({ db: wrongPort, queryTimeoutMs: 1_000 })
      .get("k")
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(refused).toMatchObject({ name: "PostgresStoreError", reason: "unavailable" });
    expect((refused as Error).message).toMatch(/could not be reached within 1000 ms .*host and port/);
    const noDatabase = await new PostgresTokenStore({ db: wrongDatabase }).get("k").catch((e: unknown) => e);
    expect(noDatabase).toMatchObject({ reason: "rejected", sqlState: "3D000" });
    expect((noDatabase as Error).message).toMatch(/Check the database name in the connection string/);
    const noRole = await new PostgresTokenStore({ db: wrongUser }).get("k").catch((e: unknown) => e);
    expect(noRole).toMatchObject({ reason: "rejected", sqlState: "28000" });
    expect((noRole as Error).message).toMatch(/Check the user and password/);
    for (const error of [refused, noDatabase, noRole]) expect((error as Error).message).not.toContain("postgres://");
  } finally {
    await Promise.all([wrongPort.end(), wrongDatabase.end(), wrongUser.end()]);
  }
});
