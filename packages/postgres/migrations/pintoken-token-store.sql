-- @pintoken/postgres: the token store's tables. Safe to run again: it creates only what is missing.
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('pintoken-migrate:' || '"pintoken_tokens"'));

-- One row per stored token set. data is the token set as JSON, or sealed (v1.…) when the store has a secret.
-- refresh_token_expires_at (epoch ms) is what keep-alive looks for, through the due index.
CREATE TABLE IF NOT EXISTS "pintoken_tokens" (
  "tenant" text COLLATE "C" NOT NULL DEFAULT '',
  "key" text COLLATE "C" NOT NULL,
  "version" text NOT NULL,
  "data" text NOT NULL,
  "refresh_token_expires_at" bigint,
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant", "key")
);
CREATE INDEX IF NOT EXISTS "pintoken_tokens_due" ON "pintoken_tokens" ("tenant", "refresh_token_expires_at", "key")
  WHERE "refresh_token_expires_at" IS NOT NULL;

-- One row per key while a process holds its refresh lease (owner, expiry by the database's clock).
CREATE TABLE IF NOT EXISTS "pintoken_leases" (
  "tenant" text COLLATE "C" NOT NULL DEFAULT '',
  "key" text COLLATE "C" NOT NULL,
  "owner" text NOT NULL,
  "expires_at" timestamptz NOT NULL,
  PRIMARY KEY ("tenant", "key")
);
COMMIT;
