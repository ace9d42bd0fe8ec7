/**
 * The store's retries, through a fault proxy between node-redis and a real redis-server: a reply lost after Redis ran
 * the command, error replies Redis gives while it loads its data or runs a long script, a reply later than the
 * deadline. Each write stays exactly-once however often it is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "../test/fault-proxy.ts";
import { connectClient, type TestClient, useRedis } from "../test/redis-server.ts";
import { sampleTokenSet } from "../test/sample-token-set.ts";
import { RedisStoreError } from "./errors.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

const redis = useRedis();
let proxy: FaultProxy;
let client: TestClient;
let serial = 0;
const freshKey = () => `lost-${++serial}`;

beforeAll(async () => {
  proxy = await startFaultProxy(redis.server.port);
  client = await connectClient(proxy.url);
});
afterAll(async () => {
  await client?.close();
  await proxy?.close();
});

/** A store through the proxy, its scripts already loaded (so the next command is the one under test). */
async function warmStore(commandTimeoutMs = 5_000) {
  const store = new RedisTokenStore({ client, commandTimeoutMs, prefix: "lost:" });
  const warm = freshKey();
  await store.set(warm, sampleTokenSet());
  await (await store.lock(warm, 1_000)).release();
  return store;
}

describe("a reply lost after Redis ran the command (the connection drops)", () => {
  it("set() with compare-and-set is sent again and counts once: written, with the version it wrote", async () => {
    const store = await warmStore();
    const key = freshKey();
    const first = await store.set(key, sampleTokenSet());
    const next = sampleTokenSet();
    proxy.next({ kind: "drop-reply" });
    const result = await store.set(key, next, { ifVersion: first.ok ? first.version : null });
    expect(result.ok).toBe(true);
    const stored = await store.get(key);
    expect(stored?.tokenSet).toEqual(next);
    expect(stored?.version).toBe(result.ok && result.version);
  });

  it("lock() is sent again and finds itself the owner: no waiting on its own lock", async () => {
    const store = await warmStore();
    const key = freshKey();
    proxy.next({ kind: "drop-reply" });
    const started = performance.now();
    const lock = await store.lock(key, 30_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lock.tookOver).toBe(false);
    await lock.release();
    expect(await redis.client.exists(`lost:lock:${key}`)).toBe(0);
  });

  it("release() and extend() are sent again and act once", async () => {
    const store = await warmStore();
    const key = freshKey();
    const lock = await store.lock(key, 30_000);
    proxy.next({ kind: "drop-reply" });
    expect(await lock.extend(30_000)).toBe(true);
    proxy.next({ kind: "drop-reply" });
    await lock.release();
    expect(await redis.client.exists(`lost:lock:${key}`)).toBe(0);
  });
});

describe("error replies that pass by themselves", () => {
  it.each([
    ["LOADING Redis is loading the dataset in memory"],
    ["BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."],
  ])("%s: the command is tried again until Redis answers", async (reply) => {
    const store = await warmStore();
    const key = freshKey();
    const tokens = sampleTokenSet();
    await store.set(key, tokens);
    const before = proxy.commands;
    proxy.next({ kind: "error-reply", reply }, 3);
    expect((await store.get(key))?.tokenSet).toEqual(tokens);
    expect(proxy.commands - before).toBe(4);
  });

  it("LOADING for longer than commandTimeoutMs: an unavailable RedisStoreError that says what to do", async () => {
    const store = await warmStore(300);
    const key = freshKey();
    proxy.next({ kind: "error-reply", reply: "LOADING Redis is loading the dataset in memory" }, 20);
    const error = await store.get(key).catch((e) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ reason: "unavailable", code: "store_error" });
    // The rest of the planned LOADING replies are played out before the next test.
    while ((await store.get(key).catch(() => "loading")) === "loading");
  });

  it("a reply later than commandTimeoutMs while connected: a timeout RedisStoreError, and the late reply goes nowhere", async () => {
    const store = await warmStore(300);
    const key = freshKey();
    const tokens = sampleTokenSet();
    await store.set(key, tokens);
    proxy.next({ kind: "delay-reply", ms: 1_000 });
    expect(await store.get(key).catch((e) => e)).toMatchObject({ reason: "timeout" });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the late reply arrives, for nobody
    expect((await store.get(key))?.tokenSet).toEqual(tokens);
  });
});
