/**
 * One contender of the shared-KV tests: an isolate (a `Worker` or a `deno run` process) with its own KV handle, store
 * and token manager, whose callers all ask for an access token at once. It imports only this package, never the mock.
 */
import { createPinterestOAuth, createTokenManager, DenoKvTokenStore } from "../src/index.ts";

/** What a contender is told (JSON: it crosses a process boundary). */
export interface ContenderJob {
  readonly kvPath: string;
  readonly key: string;
  readonly callers: number;
  readonly apiBaseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Opens the store and builds the manager; `run()` then starts every caller at once and closes the store. */
export async function prepareContender(job: ContenderJob): Promise<{ run(): Promise<string[]> }> {
  const store = await DenoKvTokenStore.open(job.kvPath);
  const oauth = createPinterestOAuth({
    clientId: job.clientId,
    clientSecret: job.clientSecret,
    baseUrl: job.apiBaseUrl,
    retry: { minDelayMs: 1, maxDelayMs: 10 },
  });
  const manager = createTokenManager({ oauth, store, key: job.key });
  return {
    async run() {
      try {
        return await Promise.all(Array.from({ length: job.callers }, () => manager.getAccessToken()));
      } finally {
        store.close();
      }
    },
  };
}
