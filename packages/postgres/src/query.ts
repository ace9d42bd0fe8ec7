/**
 * Every statement the store sends goes through {@link runQuery}: one statement at a time (never a transaction held
 * across calls), a deadline the store enforces itself, retries while the connection is what failed, and PostgreSQL's
 * and the driver's errors turned into {@link PostgresStoreError}s that say what to do.
 */
import { PostgresStoreError, type PostgresStoreErrorReason } from "./errors.ts";

/**
 * What the store needs of a PostgreSQL client: `query(text, values)` resolving to `{ rows }`. A `pg` `Pool` (the usual
 * choice), `Client` or pooled client fits as it is, and so does PGlite (both tested).
 *
 * @example
 * ```ts
 * import pg from "pg";
 *
 * const db: PostgresQueryable = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Where a statement runs, for its errors: the store key, what the store was doing, and its deadline. */
export interface QueryContext {
  readonly key: string;
  readonly what: string;
  /** The whole operation, retries included, must finish within this many ms. */
  readonly timeoutMs: number;
}

/** Node's socket errors that mean "try again": the server is restarting or the connection broke. */
const transientNetwork = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * SQLSTATEs that pass by themselves: connection exceptions (class 08), the server shutting down or starting
 * (57P01–57P03), too many connections, and a serialization failure or deadlock (the statement was rolled back).
 */
const transientState = /^(08...|57P0[123]|53300|40001|40P01)$/;

/** SQLSTATEs that mean the tables do not match the migration: no such table or column, no key for ON CONFLICT. */
const schemaState = /^(42P01|42703|42P10|42804|42883)$/;

interface DriverError {
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/[^\s"']*/gi, "<connection string>"); // no password in our messages
}

function isTransient(error: unknown): boolean {
  const { code, message } = (error ?? {}) as DriverError;
  if (typeof code === "string" && (transientNetwork.has(code) || transientState.test(code))) return true;
  return (
    typeof message === "string" &&
    /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i.test(
      message,
    )
  );
}

/** A final (not passing) failure as the store's error, with the fix for what usually causes it. */
function finalError(error: unknown, ctx: QueryContext): PostgresStoreError {
  const { code } = (error ?? {}) as DriverError;
  const state = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const fail = (reason: PostgresStoreErrorReason, detail: string) =>
    new PostgresStoreError({ key: ctx.key, operation: ctx.what, reason, detail, cause: error, sqlState: state });
  const said = describe(error);
  if (state && schemaState.test(state))
    return fail(
      "schema",
      `the token store's tables do not match its migration (${said}). Run migratePostgresTokenStore(db, options) with the same table and column options as the store (it creates what is missing and changes nothing else), or point the store's options at the tables you created.`,
    );
  if (state === "28P01" || state === "28000")
    return fail(
      "rejected",
      `PostgreSQL refused the login (${said}). Check the user and password of the connection string or pool.`,
    );
  if (state === "3D000")
    return fail("rejected", `${said}. Check the database name in the connection string, or create the database.`);
  if (state === "42501")
    return fail(
      "rejected",
      `${said}. Grant the store's role SELECT, INSERT, UPDATE and DELETE on its two tables (and CREATE on the schema to migrate).`,
    );
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return fail("unavailable", `the database host is unknown (${said}). Check the host in the connection string.`);
  if (state) return fail("rejected", `PostgreSQL answered with an error (${said}, SQLSTATE ${state}).`);
  return fail(
    "rejected",
    `the PostgreSQL client failed (${said}). If it is about the connection string, check its form: postgres://user:password@host:5432/database.`,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one statement and resolves with its rows. Connection failures and a restarting server are retried with backoff
 * until `timeoutMs` has passed, so a PostgreSQL restart shorter than that is invisible; every retried statement is
 * safe to run twice (the store's writes recognise their own earlier try). The deadline is the store's own: a pool's
 * query cannot be cancelled from here, so a statement that outlives it is abandoned and its result dropped.
 */
export async function runQuery(
  db: PostgresQueryable,
  text: string,
  values: unknown[],
  ctx: QueryContext,
): Promise<Record<string, unknown>[]> {
  const deadline = performance.now() + ctx.timeoutMs;
  let last: unknown;
  /** The deadline passed after connection failures (or a server starting up): PostgreSQL is down, not slow. */
  const unreachable = () =>
    new PostgresStoreError({
      key: ctx.key,
      operation: ctx.what,
      reason: "unavailable",
      detail: `PostgreSQL could not be reached within ${ctx.timeoutMs} ms (${describe(last)}). Check that it is up and that the connection string's host and port are right; raise queryTimeoutMs to ride out longer restarts.`,
      cause: last,
    });
  for (let attempt = 0; ; attempt++) {
    const left = deadline - performance.now();
    if (left <= 0) throw unreachable();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), left);
    });
    const statement = Promise.resolve().then(() => db.query(text, values));
    statement.catch(() => undefined); // it may still fail after the deadline; nobody is waiting for it then
    try {
      const result = await Promise.race([statement, timedOut]);
      if (result === "timeout" && last !== undefined) throw unreachable(); // still trying to connect
      if (result === "timeout") {
        throw new PostgresStoreError({
          key: ctx.key,
          operation: ctx.what,
          reason: "timeout",
          detail: `PostgreSQL did not answer within ${ctx.timeoutMs} ms. Check that it is up and not overloaded (or that nothing holds a lock on the table); raise queryTimeoutMs if it is just slow.`,
        });
      }
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      if (error instanceof PostgresStoreError) throw error;
      if (!isTransient(error)) throw finalError(error, ctx);
      last = error;
    } finally {
      clearTimeout(timer);
    }
    await sleep(Math.min(25 * 2 ** Math.min(attempt, 5), Math.max(0, deadline - performance.now())));
  }
}
