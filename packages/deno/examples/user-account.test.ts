/** The example runs as a user would run it (`deno run`), against the mock Pinterest on loopback. */
import assert from "node:assert/strict";
import { DenoKvTokenStore } from "../src/index.ts";
import { denoCommand, denoRun } from "../test/deno-command.ts";
import { mockAccount, mockClient, withMockPinterest } from "../test/mock-pinterest.ts";

async function runExample(env: Record<string, string>, dir: string): Promise<string> {
  const { code, stdout, stderr } = await denoCommand(denoRun("examples/user-account.ts", dir), { env }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, `the example failed:\n${out}${new TextDecoder().decode(stderr)}`);
  return out;
}

Deno.test("examples/user-account.ts: client credentials, GET /user_account, and renewal from Deno KV", async () => {
  await withMockPinterest({}, async (server) => {
    const dir = await Deno.makeTempDir({ prefix: "pintoken-example-" });
    const kvPath = `${dir}/tokens.sqlite3`;
    const env = {
      PINTEREST_CLIENT_ID: mockClient.clientId,
      PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
      PINTEREST_API_BASE_URL: server.apiBaseUrl,
      PINTOKEN_KV_PATH: kvPath,
    };
    const calls = () => server.mock.calls.all.map((call) => `${call.operationId} ${call.status}`);
    try {
      const first = await runExample(env, dir);
      assert.match(first, /client credentials grant/);
      assert.ok(first.includes(`@${mockAccount.username}`), first);
      assert.deepEqual(calls(), ["oauth/token 200", "user_account/get 200"]);

      // The stored token is reused: no new grant.
      server.mock.calls.reset();
      assert.ok((await runExample(env, dir)).includes(`@${mockAccount.username}`));
      assert.deepEqual(calls(), ["user_account/get 200"]);

      // Pinterest expired it early: the 401 renews it and the call is replayed once.
      server.mock.calls.reset();
      server.mock.expireAccessTokens();
      assert.ok((await runExample(env, dir)).includes(`@${mockAccount.username}`));
      assert.deepEqual(calls(), ["user_account/get 401", "oauth/token 200", "user_account/get 200"]);

      // The stored token is about to expire (the set is aged as if it had been issued a lifetime ago, with a minute
      // left: inside the manager's 5-minute refresh window): renewed before the call.
      server.mock.calls.reset();
      const store = await DenoKvTokenStore.open(kvPath);
      const stored = await store.get("app");
      assert.ok(stored?.tokenSet.issuedAt !== undefined, "the stored set says when it was issued");
      const age = stored.tokenSet.expiresAt - (Date.now() + 60_000);
      const aged = { ...stored.tokenSet, issuedAt: stored.tokenSet.issuedAt - age, expiresAt: Date.now() + 60_000 };
      assert.ok((await store.set("app", aged, { ifVersion: stored.version })).ok);
      store.close();
      assert.ok((await runExample(env, dir)).includes(`@${mockAccount.username}`));
      assert.deepEqual(calls(), ["oauth/token 200", "user_account/get 200"]);
      assert.ok(server.mock.calls.for("oauth/token").every((call) => call.form?.grant_type === "client_credentials"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
