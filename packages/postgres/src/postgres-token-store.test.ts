import { inspect } from "node:util";
import type { TokenSet } from "@pintoken/core";
import { tokenStoreContract } from "@pintoken/core/testing";
import { describe, expect, it, test } from "vitest";
import { usePostgres } from "../test/postgres.ts";
import { PostgresStoreError } from "./errors.ts";
import { PostgresTokenStore } from "./postgres-token-store.ts";
import { migratePostgresTokenStore } from "./schema.ts";

const postgres = usePostgres();
const secret = "a-test-secret-of-at-least-32-characters!";

const tokens = (n: number, overrides: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: `pina_pg_${n}`,
  tokenType: "bearer",
  scopes: ["user_accounts:read"],
  expiresAt: 1_800_000_000_000 + n,
  refreshToken: `pinr_pg_${n}`,
  refreshTokenExpiresAt: 1_805_000_000_000 + n,
  responseType: "refresh_token",
  issuedAt: 1_790_000_000_000,
  ...overrides,
});

describe("the TokenStore contract of @pintoken/core/testing, due() included", () => {
  for (const { name, run } of tokenStoreContract({
    createStore: () => new PostgresTokenStore({ db: postgres.pool }),
    lockTtlMs: 1_000,
    features: { due: true },
  })) {
    test(name, run, 30_000);
  }
});

describe("the contract with custom names, a tenant and encryption", () => {
  const tables = {
    table: "app.pinterest_tokens",
    leaseTable: "app.pinterest_leases",
    columns: { key: "account_id", tenant: "workspace", refreshTokenExpiresAt: "refresh_expires_ms" },
  };
  for (const { name, run } of tokenStoreContract({
    async createStore() {
      await postgres.pool.query("CREATE SCHEMA IF NOT EXISTS app");
      await migratePostgresTokenStore(postgres.pool, tables);
      return new PostgresTokenStore({ db: postgres.pool, ...tables, tenant: "workspace-7", secret });
    },
    lockTtlMs: 1_000,
    features: { due: true },
  })) {
    test(name, run, 30_000);
  }
});

it("keeps tenants apart: the same key in two tenants, each listed only in its own due()", async () => {
  const a = new PostgresTokenStore({ db: postgres.pool, tenant: "a" });
  const b = new PostgresTokenStore({ db: postgres.pool, tenant: "b" });
  await a.set("shared-key", tokens(1));
  expect(await b.get("shared-key")).toBeUndefined();
  await b.set("shared-key", tokens(2));
  expect((await a.get("shared-key"))?.tokenSet.accessToken).toBe("pina_pg_1");
  const dueA = await a.due(1_805_000_000_100, { limit: 10 });
  expect(dueA.filter((e) => e.key === "shared-key")).toEqual([
    { key: "shared-key", refreshTokenExpiresAt: 1_805_000_000_001 },
  ]);
  await b.delete("shared-key");
  expect(await a.get("shared-key")).toBeDefined();
});

it("with a secret, the data column holds only ciphertext, bound to its tenant and key; without it, a clear error", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "sealed", secret });
  await store.set("user-1", tokens(3));
  const { rows } = await postgres.pool.query("SELECT data FROM pintoken_tokens WHERE tenant = 'sealed'");
  expect(rows[0].data).toMatch(/^v1\.[\w-]{12}\.[\w-]{16}\.[\w-]+$/);
  expect(rows[0].data).not.toContain("pina_pg_3");
  expect((await store.get("user-1"))?.tokenSet).toEqual(tokens(3));
  // Copied to another key: it does not decrypt there.
  await postgres.pool.query(
    "INSERT INTO pintoken_tokens (tenant, key, version, data) SELECT tenant, 'user-2', 'v', data FROM pintoken_tokens WHERE tenant = 'sealed' AND key = 'user-1'",
  );
  await expect(store.get("user-2")).rejects.toMatchObject({ name: "PostgresStoreError", reason: "unreadable" });
  const plain = new PostgresTokenStore({ db: postgres.pool, tenant: "sealed" });
  await expect(plain.get("user-1")).rejects.toThrow(/is encrypted: pass the secret it was written with/);
  // Turning encryption on keeps plain sets readable.
  await plain.set("user-3", tokens(4));
  expect((await store.get("user-3"))?.tokenSet).toEqual(tokens(4));
});

it("the lease lives in its table with an expiry by the database's clock, released only by its owner", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "lease" });
  const lease = await store.lock("user-1", 30_000);
  const { rows } = await postgres.pool.query(
    "SELECT extract(epoch FROM expires_at - clock_timestamp()) AS left FROM pintoken_leases WHERE tenant = 'lease' AND key = 'user-1'",
  );
  expect(Number(rows[0].left)).toBeGreaterThan(25);
  expect(Number(rows[0].left)).toBeLessThanOrEqual(30);
  await postgres.pool.query("UPDATE pintoken_leases SET owner = 'someone-else' WHERE tenant = 'lease'");
  await lease.release();
  expect((await postgres.pool.query("SELECT owner FROM pintoken_leases WHERE tenant = 'lease'")).rows).toEqual([
    { owner: "someone-else" },
  ]);
  expect(await lease.extend(30_000)).toBe(false);
});

it("lock() gives up after lockWaitMs with a lock_timeout error", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "wait", lockWaitMs: 300 });
  await store.lock("user-1", 30_000);
  await expect(store.lock("user-1", 30_000)).rejects.toMatchObject({
    name: "PostgresStoreError",
    code: "store_error",
    reason: "lock_timeout",
  });
});

it("never shows tokens, the pool or the secret in JSON or util.inspect; garbage in a row is a clear error", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "shown", secret });
  await store.set("user-1", tokens(5));
  for (const text of [JSON.stringify(store), inspect(store), inspect(await store.get("user-1").catch((e) => e))]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain("postgres://");
  }
  expect(JSON.parse(JSON.stringify(store))).toEqual({
    table: "pintoken_tokens",
    leaseTable: "pintoken_leases",
    tenant: "shown",
    encrypted: true,
  });
  await postgres.pool.query(
    "INSERT INTO pintoken_tokens (tenant, key, version, data) VALUES ('shown', 'junk', 'v', '{\"accessToken\":1}')",
  );
  const error = await store.get("junk").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PostgresStoreError);
  expect((error as PostgresStoreError).message).toMatch(/does not have the fields of a token set/);
});

it("refuses bad arguments with ConfigurationErrors that say what to pass", () => {
  const db = postgres.pool;
  expect(() => new PostgresTokenStore({} as never)).toThrow(/needs db: a pool or client with query/);
  expect(() => new PostgresTokenStore({ db, table: "a.b.c" })).toThrow(/"table" or "schema.table"/);
  expect(() => new PostgresTokenStore({ db, columns: { nope: "x" } as never })).toThrow(/columns.nope is not a column/);
  expect(() => new PostgresTokenStore({ db, secret: "short" })).toThrow(/secret is too short/);
  expect(() => new PostgresTokenStore({ db, table: "same", leaseTable: "same" })).toThrow(/two different tables/);
});

it("tells a lease taken over from a holder that let it expire (tookOver), and stops waiting when the signal aborts", async () => {
  const store = new PostgresTokenStore({ db: postgres.pool, tenant: "took-over" });
  const first = await store.lock("user-1", 1_000);
  expect(first.tookOver).toBe(false);
  await first.release();
  const released = await store.lock("user-1", 1_000);
  expect(released.tookOver).toBe(false); // the previous holder released it
  // …and this one crashes: the next holder takes its expired lease over.
  const next = await store.lock("user-1", 30_000);
  expect(next.tookOver).toBe(true);

  const controller = new AbortController();
  const waiting = store.lock("user-1", 30_000, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("fresh tokens appeared")), 200);
  await expect(waiting).rejects.toThrow("fresh tokens appeared");
  await next.release();
  const { rows } = await postgres.pool.query(
    "SELECT count(*)::int AS n FROM pintoken_leases WHERE tenant = 'took-over'",
  );
  expect(rows).toEqual([{ n: 0 }]); // the aborted wait took nothing
});
