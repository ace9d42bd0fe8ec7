import type { TokenLock, TokenStore, TokenStoreError } from "@pintoken/core";
import pg from "pg";
import { expectTypeOf, it } from "vitest";
import type { PostgresQueryable, PostgresStoreError, PostgresStoreErrorReason, PostgresTokenLock } from "./index.ts";
import { PostgresTokenStore } from "./index.ts";

it("takes pg's Pool, Client and pooled client as they are, and is a core TokenStore with due()", async () => {
  expectTypeOf(new pg.Pool()).toExtend<PostgresQueryable>();
  expectTypeOf(new pg.Client()).toExtend<PostgresQueryable>();
  expectTypeOf(await new pg.Pool().connect()).toExtend<PostgresQueryable>();
  expectTypeOf(PostgresTokenStore).instance.toExtend<Required<TokenStore>>();
  expectTypeOf<PostgresStoreError>().toExtend<TokenStoreError>();
  expectTypeOf<PostgresStoreError["reason"]>().toEqualTypeOf<PostgresStoreErrorReason>();
});

it("locks with extend()", () => {
  const store = new PostgresTokenStore({ db: new pg.Pool() });
  expectTypeOf(store.lock("k", 1_000)).resolves.toEqualTypeOf<PostgresTokenLock>();
  expectTypeOf<PostgresTokenLock>().toExtend<TokenLock>();
});

it("rejects options of the wrong type", () => {
  // @ts-expect-error: db is required
  new PostgresTokenStore({});
  // @ts-expect-error: a connection string is not a pool; pass new pg.Pool({ connectionString })
  new PostgresTokenStore({ db: "postgres://localhost/app" });
  // @ts-expect-error: columns are names of the store's columns only
  new PostgresTokenStore({ db: new pg.Pool(), columns: { token: "x" } });
  // @ts-expect-error: queryTimeoutMs is a number of milliseconds
  new PostgresTokenStore({ db: new pg.Pool(), queryTimeoutMs: "5s" });
});
