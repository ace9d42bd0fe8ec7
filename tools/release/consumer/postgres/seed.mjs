// Stores the token sets of $PINTOKEN_SEED (a JSON file: { key: TokenSet }) with the installed @pintoken/postgres,
// after migrating, as an app's sign-in would.
import { readFileSync } from "node:fs";
import { migratePostgresTokenStore, PostgresTokenStore } from "@pintoken/postgres";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
await migratePostgresTokenStore(pool);
const store = new PostgresTokenStore({ db: pool, secret: process.env.PINTOKEN_STORE_SECRET });
for (const [key, tokenSet] of Object.entries(JSON.parse(readFileSync(process.env.PINTOKEN_SEED, "utf8"))))
  await store.set(key, tokenSet);
process.stdout.write(`${JSON.stringify(await store.due(Date.now() + 7 * 86_400_000, { limit: 10 }))}\n`);
await pool.end();
