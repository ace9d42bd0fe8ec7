import { createPinterestOAuth, type PinterestOAuthOptions } from "../src/client.ts";
import { TokenStoreError } from "../src/errors.ts";
import { createTokenManager, type TokenManagerOptions } from "../src/token-manager.ts";
import type { TokenSet } from "../src/token-set.ts";
import { MemoryTokenStore, type TokenStore } from "../src/token-store.ts";
import { credentials, fakeFetch, json, type SeenRequest, tokenBody } from "./helpers.ts";

/** Fakes for token manager tests: a rotating Pinterest, a manager on a fake clock, another process's store. */

export const invalidGrant = () => json(401, { code: 283, message: "The authorization grant is invalid" });

/**
 * A fake Pinterest with continuous refresh: every refresh returns a new refresh token and retires the old one
 * (the strictest behaviour), so a lost rotated token shows up as an invalid grant.
 */
export function rotatingPinterest(
  first = "pinr_0",
  {
    before,
    body = {},
  }: { before?: (request: SeenRequest) => Promise<Response | undefined>; body?: Record<string, unknown> } = {},
) {
  const valid = new Set([first]);
  let issued = 0;
  const refreshes: string[] = [];
  const revoked: string[] = [];
  const fetch = fakeFetch(async (request: SeenRequest) => {
    const early = await before?.(request);
    if (early) return early;
    if (request.form.grant_type === "client_credentials")
      return json(200, tokenBody("client_credentials", { access_token: `pinc_${++issued}` }));
    if (request.url.pathname.endsWith("/revoke")) {
      revoked.push(request.form.token ?? "");
      valid.delete(request.form.token ?? "");
      return new Response(null, { status: 200 });
    }
    const used = request.form.refresh_token ?? "";
    refreshes.push(used);
    if (!valid.delete(used)) return invalidGrant();
    const next = `pinr_${++issued}`;
    valid.add(next);
    return json(200, tokenBody("refresh_token", { access_token: `pina_${issued}`, refresh_token: next, ...body }));
  });
  return { fetch, refreshes, revoked, valid };
}

export function setup(
  options: {
    store?: TokenStore;
    fetch?: typeof globalThis.fetch;
    pinterest?: ReturnType<typeof rotatingPinterest>;
    oauth?: Partial<PinterestOAuthOptions>;
    manager?: Partial<TokenManagerOptions>;
  } = {},
) {
  let now = 1_750_000_000_000;
  const pinterest = options.pinterest ?? rotatingPinterest();
  const store = options.store ?? new MemoryTokenStore();
  const oauth = createPinterestOAuth({
    ...credentials,
    fetch: options.fetch ?? pinterest.fetch,
    clock: () => now,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    ...options.oauth,
  });
  const storeErrors: TokenStoreError[] = [];
  const manager = createTokenManager({
    oauth,
    store,
    key: "user-1",
    onStoreError: (error) => storeErrors.push(error),
    ...options.manager,
  });
  const advance = (ms: number) => {
    now += ms;
  };
  return { pinterest, store, oauth, manager, advance, now: () => now, storeErrors };
}

export async function seed(store: TokenStore, set: TokenSet) {
  await store.set("user-1", set);
  return (await store.get("user-1"))?.version;
}

/**
 * Another process's view of the same storage: its own object, so its own in-process single flight. `lock`: with
 * the memory store's lock (which can be extended), with a lock that cannot be extended, or without locks.
 */
export function facade(inner: MemoryTokenStore, lock: boolean | "without-extend"): TokenStore {
  const view: TokenStore = {
    get: (k) => inner.get(k),
    set: (k, v, o) => inner.set(k, v, o),
    delete: (k) => inner.delete(k),
  };
  if (lock === true) view.lock = (k, ttl) => inner.lock(k, ttl);
  if (lock === "without-extend")
    view.lock = async (k, ttl) => {
      const held = await inner.lock(k, ttl);
      return { release: () => held.release() };
    };
  return view;
}

/** The operations of a store that {@link faultyStore} can make fail. */
export type StoreOperation = "get" | "set" | "delete" | "lock" | "extend" | "release";

/**
 * Another process's view of `inner` (its own object: its own queue and outbox, sharing only the stored data and the
 * locks, as two processes on one Redis do), whose operations in `failing` reject as a store that cannot be reached
 * does. `calls` counts every call of each operation.
 */
export function faultyStore(inner: MemoryTokenStore) {
  const failing = new Set<StoreOperation>();
  const calls: Record<StoreOperation, number> = { get: 0, set: 0, delete: 0, lock: 0, extend: 0, release: 0 };
  const attempt = (operation: StoreOperation) => {
    calls[operation]++;
    if (failing.has(operation))
      throw new TokenStoreError("user-1", operation, new Error("ECONNREFUSED"), { reason: "unavailable" });
  };
  /** Runs `call` as `operation`, unless that operation fails now. */
  const as = <T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> => {
    attempt(operation);
    return call();
  };
  const store: TokenStore = {
    get: async (k) => as("get", () => inner.get(k)),
    set: async (k, v, o) => as("set", () => inner.set(k, v, o)),
    delete: async (k) => as("delete", () => inner.delete(k)),
    async lock(k, ttl, options) {
      const held = await as("lock", () => inner.lock(k, ttl, options));
      const extend = held.extend?.bind(held) as (ms: number) => Promise<boolean>;
      return {
        ...(held.tookOver !== undefined && { tookOver: held.tookOver }),
        release: async () => as("release", () => held.release()),
        extend: async (ms) => as("extend", () => extend(ms)),
      };
    },
  };
  /** Every operation fails from now on (the store is down), or works again (`false`). */
  const down = (isDown = true) => {
    for (const operation of Object.keys(calls) as StoreOperation[])
      if (isDown) failing.add(operation);
      else failing.delete(operation);
  };
  return { store, failing, calls, down };
}

/** Pinterest answering after `ms` (fake timers advance it), per token call. */
export const answerAfter = (ms: number | ((call: number) => number)) => {
  let call = 0;
  return () => {
    const wait = typeof ms === "number" ? ms : ms(call++);
    return new Promise<undefined>((resolve) => setTimeout(resolve, wait));
  };
};
