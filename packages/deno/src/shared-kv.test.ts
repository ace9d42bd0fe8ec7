/**
 * Several isolates and processes share one KV file holding an expired token, and all ask for an access token at
 * once: exactly one refresh reaches Pinterest (the mock), everybody gets its access token, and the store keeps the
 * newest (rotated) refresh token.
 */
import assert from "node:assert/strict";
import type { ContenderJob } from "../test/contender.ts";
import { denoCommand, denoRun } from "../test/deno-command.ts";
import {
  type MockPinterestServer,
  mockClient,
  oauthFor,
  refreshCalls,
  withMockPinterest,
} from "../test/mock-pinterest.ts";
import { DenoKvTokenStore } from "./index.ts";

const contenders = 4;
const callersEach = 25;

/** A KV file holding a user's token set whose access token expired a second ago (at the mock too). */
async function expiredTokenIn(server: MockPinterestServer, kvPath: string) {
  const oauth = oauthFor(server);
  const first = await oauth.exchangeCode({ code: server.mock.authorize({ scopes: ["user_accounts:read"] }).code });
  server.mock.expireAccessTokens();
  const store = await DenoKvTokenStore.open(kvPath);
  await store.set("user-1", { ...first, expiresAt: Date.now() - 1_000 });
  store.close();
  server.mock.calls.reset();
  return first;
}

/** Waits for the first line of a stream and returns the reader, to read the rest later. */
async function firstLine(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the contender exited before it was ready: ${JSON.stringify(text)}`);
    text += value;
  }
  return { line: text.slice(0, text.indexOf("\n")), rest: text.slice(text.indexOf("\n") + 1), reader };
}

async function runProcesses(job: ContenderJob, dir: string): Promise<string[][]> {
  const children = Array.from({ length: contenders }, () =>
    denoCommand(denoRun("test/contender-process.ts", dir, [JSON.stringify(job)]), {
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn(),
  );
  const ready = await Promise.all(children.map((child) => firstLine(child.stdout)));
  assert.deepEqual(
    ready.map((r) => r.line),
    children.map(() => "ready"),
  );
  // Every contender is ready: start them all at once.
  await Promise.all(children.map((child) => child.stdin.getWriter().write(new TextEncoder().encode("go\n"))));
  const results = await Promise.all(
    children.map(async (child, i) => {
      const { reader, rest } = ready[i] as (typeof ready)[number];
      let out = rest;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) out += chunk.value;
      const status = await child.status;
      await child.stdin.close().catch(() => undefined);
      assert.equal(status.code, 0, `contender process ${i} failed`);
      return JSON.parse(out) as string[];
    }),
  );
  return results;
}

async function runWorkers(job: ContenderJob): Promise<string[][]> {
  const workers = Array.from(
    { length: contenders },
    () => new Worker(new URL("../test/contender-worker.ts", import.meta.url), { type: "module" }),
  );
  const next = (worker: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`a contender worker failed: ${event.message}`));
      };
    });
  try {
    const ready = workers.map(next);
    for (const worker of workers) worker.postMessage(job);
    assert.deepEqual(
      await Promise.all(ready),
      workers.map(() => "ready"),
    );
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage("go");
    return (await Promise.all(done)) as string[][];
  } finally {
    for (const worker of workers) worker.terminate();
  }
}

for (const [what, run] of [
  [`${contenders} deno processes`, runProcesses],
  [`${contenders} Workers`, (job: ContenderJob) => runWorkers(job)],
] as const) {
  Deno.test(`${what} × ${callersEach} callers on one KV file with an expired token: one refresh, newest refresh token kept`, async () => {
    await withMockPinterest({}, async (server) => {
      const dir = await Deno.makeTempDir({ prefix: "pintoken-shared-kv-" });
      try {
        const kvPath = `${dir}/tokens.sqlite3`;
        const first = await expiredTokenIn(server, kvPath);
        const job: ContenderJob = {
          kvPath,
          key: "user-1",
          callers: callersEach,
          apiBaseUrl: server.apiBaseUrl,
          clientId: mockClient.clientId,
          clientSecret: mockClient.clientSecret,
        };
        const tokens = (await run(job, dir)).flat();

        assert.equal(tokens.length, contenders * callersEach);
        assert.equal(refreshCalls(server).length, 1, "refresh calls at the mock");
        assert.equal(new Set(tokens).size, 1, "every caller got the same new access token");
        const store = await DenoKvTokenStore.open(kvPath);
        const stored = (await store.get("user-1"))?.tokenSet;
        store.close();
        assert.equal(stored?.accessToken, tokens[0]);
        assert.notEqual(stored?.accessToken, first.accessToken);
        assert.equal(
          server.mock.inspectToken(stored?.refreshToken ?? "")?.status,
          "active",
          "the newest refresh token",
        );
        assert.equal(server.mock.inspectToken(first.refreshToken ?? "")?.status, "rotated");
        assert.equal(server.mock.inspectToken(tokens[0] ?? "")?.status, "active");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  });
}
