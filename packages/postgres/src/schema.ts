/**
 * The store's two tables, their names (configurable), the migration that creates them, and the check that what is in
 * the database matches it. One place builds every identifier, so no statement ever interpolates anything else.
 */
import { ConfigurationError } from "@pintoken/core";
import { PostgresStoreError } from "./errors.ts";
import { type PostgresQueryable, runQuery } from "./query.ts";

/**
 * The column names of the two tables, each replaceable: `tenant` and `key` are in both, `owner` and `expiresAt` are
 * the lease table's, the others the token table's.
 *
 * @example
 * ```ts
 * const columns: PostgresColumnNames = { key: "account_id", tenant: "workspace_id" };
 * ```
 */
export interface PostgresColumnNames {
  tenant?: string | undefined;
  key?: string | undefined;
  version?: string | undefined;
  data?: string | undefined;
  refreshTokenExpiresAt?: string | undefined;
  updatedAt?: string | undefined;
  owner?: string | undefined;
  expiresAt?: string | undefined;
}

/**
 * Where the store keeps its rows: the same options for `new PostgresTokenStore()` and `migratePostgresTokenStore()`.
 *
 * @example
 * ```ts
 * const tables: PostgresTableOptions = { table: "app.pinterest_tokens", leaseTable: "app.pinterest_leases" };
 * ```
 */
export interface PostgresTableOptions {
  /** The token table, optionally schema-qualified (`"app.pinterest_tokens"`). Default `"pintoken_tokens"`. */
  table?: string | undefined;
  /** The lease (lock) table. Default `"pintoken_leases"`. */
  leaseTable?: string | undefined;
  /** Column names, where yours differ from the defaults (see the migration). */
  columns?: PostgresColumnNames | undefined;
}

const defaultColumns = {
  tenant: "tenant",
  key: "key",
  version: "version",
  data: "data",
  refreshTokenExpiresAt: "refresh_token_expires_at",
  updatedAt: "updated_at",
  owner: "owner",
  expiresAt: "expires_at",
} as const;

type Column = keyof typeof defaultColumns;

/** Quoted identifiers, ready to put in a statement. */
export interface Names {
  /** The token table as written in statements (`"schema"."table"` or `"table"`), and its plain text for messages. */
  readonly table: string;
  readonly tableText: string;
  readonly leaseTable: string;
  readonly leaseTableText: string;
  /** The due index's name (unqualified: an index lives in its table's schema). */
  readonly dueIndex: string;
  readonly c: Readonly<Record<Column, string>>;
  readonly columnText: Readonly<Record<Column, string>>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function identifier(option: string, value: unknown): string {
  if (typeof value !== "string" || value === "" || new TextEncoder().encode(value).length > 63 || value.includes("\0"))
    throw new ConfigurationError(
      `${option} must be a PostgreSQL name of 1 to 63 bytes (e.g. "pintoken_tokens"), got ${JSON.stringify(value)}.`,
    );
  return value;
}

/** `"a.b"` → `"a"."b"`; a name with a dot of its own cannot be given (use another name). */
function tableName(option: string, value: unknown): { quoted: string; text: string; bare: string } {
  if (typeof value !== "string")
    throw new ConfigurationError(`${option} must be a table name such as "pintoken_tokens", got ${typeof value}.`);
  const parts = value.split(".");
  if (parts.length > 2)
    throw new ConfigurationError(`${option} must be "table" or "schema.table", got ${JSON.stringify(value)}.`);
  const checked = parts.map((part) => identifier(option, part));
  return { quoted: checked.map(quote).join("."), text: value, bare: checked.at(-1) as string };
}

/** The identifiers of `options`, checked (a wrong one is a `ConfigurationError` naming it). */
export function resolveNames(options: PostgresTableOptions = {}): Names {
  const table = tableName("table", options.table ?? "pintoken_tokens");
  const leaseTable = tableName("leaseTable", options.leaseTable ?? "pintoken_leases");
  if (table.text === leaseTable.text)
    throw new ConfigurationError("table and leaseTable must be two different tables.");
  const columnText = { ...defaultColumns } as Record<Column, string>;
  for (const [name, value] of Object.entries(options.columns ?? {})) {
    if (!(name in defaultColumns))
      throw new ConfigurationError(
        `columns.${name} is not a column of the store; the columns are ${Object.keys(defaultColumns).join(", ")}.`,
      );
    if (value !== undefined) columnText[name as Column] = identifier(`columns.${name}`, value);
  }
  const c = Object.fromEntries(Object.entries(columnText).map(([k, v]) => [k, quote(v)])) as Record<Column, string>;
  return {
    table: table.quoted,
    tableText: table.text,
    leaseTable: leaseTable.quoted,
    leaseTableText: leaseTable.text,
    dueIndex: quote(identifier("table", `${table.bare.slice(0, 59)}_due`)),
    c,
    columnText,
  };
}

/**
 * The migration for these names: the two tables and the due index, each created only if missing, in one transaction
 * that waits for any other run of it (a transaction-scoped advisory lock), so several processes starting at once
 * migrate once. The SQL file shipped in the package (`migrations/pintoken-token-store.sql`) is this, for the defaults.
 *
 * @example
 * ```ts
 * console.log(migrationSql({ table: "app.pinterest_tokens" })); // to run with psql or your migration tool
 * ```
 */
export function migrationSql(options: PostgresTableOptions = {}): string {
  const { table, leaseTable, dueIndex, c } = resolveNames(options);
  return `-- @pintoken/postgres: the token store's tables. Safe to run again: it creates only what is missing.
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('pintoken-migrate:' || ${quoteLiteral(table)}));

-- One row per stored token set. data is the token set as JSON, or sealed (v1.…) when the store has a secret.
-- refresh_token_expires_at (epoch ms) is what keep-alive looks for, through the due index.
CREATE TABLE IF NOT EXISTS ${table} (
  ${c.tenant} text COLLATE "C" NOT NULL DEFAULT '',
  ${c.key} text COLLATE "C" NOT NULL,
  ${c.version} text NOT NULL,
  ${c.data} text NOT NULL,
  ${c.refreshTokenExpiresAt} bigint,
  ${c.updatedAt} timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (${c.tenant}, ${c.key})
);
CREATE INDEX IF NOT EXISTS ${dueIndex} ON ${table} (${c.tenant}, ${c.refreshTokenExpiresAt}, ${c.key})
  WHERE ${c.refreshTokenExpiresAt} IS NOT NULL;

-- One row per key while a process holds its refresh lease (owner, expiry by the database's clock).
CREATE TABLE IF NOT EXISTS ${leaseTable} (
  ${c.tenant} text COLLATE "C" NOT NULL DEFAULT '',
  ${c.key} text COLLATE "C" NOT NULL,
  ${c.owner} text NOT NULL,
  ${c.expiresAt} timestamptz NOT NULL,
  PRIMARY KEY (${c.tenant}, ${c.key})
);
COMMIT;
`;
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** What PostgreSQL's `format_type` calls the types the store needs, by table and column. */
const expectedTypes: { table: "table" | "leaseTable"; column: Column; type: string }[] = [
  { table: "table", column: "tenant", type: "text" },
  { table: "table", column: "key", type: "text" },
  { table: "table", column: "version", type: "text" },
  { table: "table", column: "data", type: "text" },
  { table: "table", column: "refreshTokenExpiresAt", type: "bigint" },
  { table: "table", column: "updatedAt", type: "timestamp with time zone" },
  { table: "leaseTable", column: "tenant", type: "text" },
  { table: "leaseTable", column: "key", type: "text" },
  { table: "leaseTable", column: "owner", type: "text" },
  { table: "leaseTable", column: "expiresAt", type: "timestamp with time zone" },
];

/**
 * Checks that both tables exist with the columns and types of the migration (extra columns are fine). Resolves, or
 * rejects with a `PostgresStoreError` (`reason: "schema"`) that lists every difference and says how to fix it.
 */
export async function verifySchema(db: PostgresQueryable, names: Names, timeoutMs: number): Promise<void> {
  const ctx = { key: "(schema)", what: "check its tables", timeoutMs };
  const problems: string[] = [];
  for (const which of ["table", "leaseTable"] as const) {
    const quoted = which === "table" ? names.table : names.leaseTable;
    const text = which === "table" ? names.tableText : names.leaseTableText;
    const rows = await runQuery(
      db,
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a
        WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [quoted],
      ctx,
    );
    if (rows.length === 0) {
      problems.push(`the table ${text} does not exist`);
      continue;
    }
    const found = new Map(rows.map((row) => [String(row.name), String(row.type)]));
    for (const expected of expectedTypes.filter((e) => e.table === which)) {
      const name = names.columnText[expected.column];
      const type = found.get(name);
      if (type === undefined) problems.push(`${text} has no column ${name} (${expected.type})`);
      else if (type !== expected.type) problems.push(`${text}.${name} is ${type}, not ${expected.type}`);
    }
  }
  if (problems.length > 0) {
    throw new PostgresStoreError({
      key: ctx.key,
      operation: ctx.what,
      reason: "schema",
      detail: `${problems.join("; ")}. Run migratePostgresTokenStore(db, options) (or the SQL of migrationSql(options)) with the same table and column options as the store; a table made by hand needs those columns and a primary key on (${names.columnText.tenant}, ${names.columnText.key}).`,
    });
  }
}

/**
 * Creates the store's tables and index if they are missing, and changes nothing that exists: run it at deploy time
 * or at start-up, as often as you like (concurrent runs wait for each other). Then checks that the tables match.
 *
 * @example
 * ```ts
 * import { migratePostgresTokenStore } from "@pintoken/postgres";
 * import pg from "pg";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migratePostgresTokenStore(pool); // or with { table, leaseTable, columns } as given to the store
 * ```
 */
export async function migratePostgresTokenStore(
  db: PostgresQueryable,
  options: PostgresTableOptions & { timeoutMs?: number | undefined } = {},
): Promise<void> {
  const names = resolveNames(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sql = migrationSql(options);
  const exec = (db as { exec?: (sql: string) => Promise<unknown> }).exec;
  if (typeof exec === "function") {
    // PGlite runs several statements through exec(); its query() takes one.
    await exec.call(db, sql);
  } else {
    try {
      await runQuery(db, sql, [], { key: "(schema)", what: "migrate its tables", timeoutMs });
    } catch (error) {
      // A table of that name that differs (so the index cannot be made): say how, column by column.
      if (error instanceof PostgresStoreError && error.reason === "schema") await verifySchema(db, names, timeoutMs);
      throw error;
    }
  }
  await verifySchema(db, names, timeoutMs);
}
