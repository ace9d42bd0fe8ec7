/**
 * The store over PGlite (PostgreSQL compiled to WebAssembly, in this process): the store takes any client with
 * `query(text, values)` → `{ rows }`, and PGlite is one, with its own `exec()` for the migration. One process only, so
 * this does not replace the tests against a real server; it proves the store is not tied to `pg`.
 */
import { PGlite } from "@electric-sql/pglite";
import { tokenStoreContract } from "@pintoken/core/testing";
import { afterAll, beforeAll, describe, test } from "vitest";
import { PostgresTokenStore } from "./postgres-token-store.ts";
import { migratePostgresTokenStore } from "./schema.ts";

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
  await migratePostgresTokenStore(db);
});
afterAll(() => db?.close());

describe("PostgresTokenStore on PGlite passes the TokenStore contract, due() included", () => {
  for (const { name, run } of tokenStoreContract({
    createStore: () => new PostgresTokenStore({ db, secret: "a-pglite-secret-of-at-least-32-characters" }),
    lockTtlMs: 1_000,
    features: { due: true },
  })) {
    test(name, run, 30_000);
  }
});
