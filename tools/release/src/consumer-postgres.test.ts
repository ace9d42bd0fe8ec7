/**
 * `@pintoken/postgres` as users install it: core and postgres packed, installed with npm (and `pg` from the registry)
 * in a scratch project outside the workspace, then the README's keep-alive job (`node keep-alive.mjs`, copied from
 * packages/postgres/README.md as written) run against a real PostgreSQL and the mock Pinterest over HTTP.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPinterestOAuth, type TokenSet } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { type MockPinterestServer, startMockPinterest } from "@pintoken/mock/server";
import { type PostgresServer, startPostgres } from "@pintoken/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { installProject, run } from "./consumer.ts";
import { pack } from "./pack.ts";
import { catalogVersion, repoRoot } from "./workspace.ts";

const scratch = mkdtempSync(join(tmpdir(), "pintoken-consumer-postgres-"));
const dir = join(scratch, "project");
let postgres: PostgresServer | undefined;
let pinterest: MockPinterestServer | undefined;

beforeAll(async () => {
  const [core, store] = await Promise.all(
    ["core", "postgres"].map((name) => pack(join(repoRoot, "packages", name), join(scratch, "tarballs"))),
  );
  [postgres, pinterest] = await Promise.all([
    startPostgres(),
    startMockPinterest(),
    installProject("postgres", dir, {
      "@pintoken/core": `file:${core?.file}`,
      "@pintoken/postgres": `file:${store?.file}`,
      pg: catalogVersion("pg"),
    }),
  ]);
}, 300_000);

afterAll(async () => {
  await pinterest?.close();
  await postgres?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The README's `keep-alive.mjs`, exactly as written. */
function readmeKeepAliveScript(): string {
  const readme = readFileSync(join(repoRoot, "packages/postgres/README.md"), "utf8");
  const block = /^```js\n(\/\/ keep-alive\.mjs[\s\S]*?)^```$/m.exec(readme)?.[1];
  if (!block) throw new Error("packages/postgres/README.md has no ```js block starting with // keep-alive.mjs");
  return block;
}

it("migrates, stores and keeps alive two accounts with the README's node script", async () => {
  const server = pinterest as MockPinterestServer;
  const oauth = createPinterestOAuth({ ...mockClient, baseUrl: server.apiBaseUrl });
  const signedIn: Record<string, TokenSet> = {};
  for (const key of ["shop-1", "shop-2"]) {
    const { code } = server.mock.authorize({ scopes: ["user_accounts:read"] });
    const tokens = await oauth.exchangeCode({ code, redirectUri: mockClient.redirectUris[0] as string });
    signedIn[key] = { ...tokens, refreshTokenExpiresAt: Date.now() + 2 * 86_400_000 }; // lapses in 2 days
  }
  writeFileSync(join(dir, "seed.json"), JSON.stringify(signedIn));
  writeFileSync(join(dir, "keep-alive.mjs"), readmeKeepAliveScript());
  const env = {
    DATABASE_URL: (postgres as PostgresServer).url,
    PINTOKEN_STORE_SECRET: "consumer-test-store-secret-0123456789",
    PINTEREST_CLIENT_ID: mockClient.clientId,
    PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
    PINTEREST_API_BASE_URL: server.apiBaseUrl,
  };
  const seeded = await run(process.execPath, ["seed.mjs"], dir, { ...env, PINTOKEN_SEED: join(dir, "seed.json") });
  expect((JSON.parse(seeded.stdout) as { key: string }[]).map((e) => e.key).sort()).toEqual(["shop-1", "shop-2"]);

  server.mock.calls.reset();
  const { stdout } = await run(process.execPath, ["keep-alive.mjs"], dir, env);
  const summary = JSON.parse(stdout.trim().split("\n").at(-1) as string);
  expect(summary).toMatchObject({ listed: 2, refreshed: 2, transient: 0, unsaved: 0, complete: true });
  expect(server.mock.calls.for("oauth/token")).toHaveLength(2);
  for (const tokens of Object.values(signedIn))
    expect(server.mock.inspectToken(tokens.refreshToken as string)?.status).toBe("rotated");

  // A second run finds nothing due: the new refresh tokens live 60 days.
  const again = await run(process.execPath, ["keep-alive.mjs"], dir, env);
  expect(JSON.parse(again.stdout.trim())).toMatchObject({ listed: 0, refreshed: 0 });
}, 120_000);
