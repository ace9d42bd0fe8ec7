import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenSet } from "@pintoken/core";
import { tokenStoreContract } from "@pintoken/core/testing";
import { afterAll, describe, expect, it, test } from "vitest";
import { FileTokenStoreError } from "./errors.ts";
import { host } from "./file-lock.ts";
import { FileTokenStore, fileNameOf } from "./file-token-store.ts";

const root = await mkdtemp(join(tmpdir(), "pintoken-store-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const tokens = (n: number): TokenSet => ({
  accessToken: `pina_${n}`,
  tokenType: "bearer",
  scopes: ["user_accounts:read"],
  expiresAt: 1_900_000_000_000,
  refreshToken: `pinr_${n}`,
  refreshTokenExpiresAt: 1_905_000_000_000,
  responseType: "authorization_code",
});

let dirs = 0;
const freshDir = () => join(root, `config-${++dirs}`);
const passphrase = "a-test-passphrase-of-more-than-32-characters";

describe("the TokenStore contract (lock TTL 1 s)", () => {
  const configDir = join(root, "contract");
  const cases = tokenStoreContract({ createStore: () => new FileTokenStore({ configDir }), lockTtlMs: 1_000 });
  for (const { name, run } of cases) test(name, run, 30_000);
});

describe("the TokenStore contract, encrypted", () => {
  const configDir = join(root, "contract-sealed");
  const cases = tokenStoreContract({
    createStore: () => new FileTokenStore({ configDir, passphrase }),
    features: { lock: false }, // the lock does not depend on encryption: the cases above cover it
  });
  for (const { name, run } of cases) test(name, run, 30_000);
});

describe("files", () => {
  it("creates the profile 0600 in a 0700 directory, written whole, with no temporary file left", async () => {
    const store = new FileTokenStore({ configDir: freshDir() });
    await store.set("default", tokens(1));
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path("default"))).mode & 0o777).toBe(0o600);
    expect((await readdir(store.dir)).sort()).toEqual(["default.json"]);
    expect((await store.get("default"))?.tokenSet).toEqual(tokens(1));
  });

  it("refuses a profile file others can read, names the chmod that fixes it, and changes nothing", async () => {
    const store = new FileTokenStore({ configDir: freshDir() });
    await store.set("default", tokens(1));
    await chmod(store.path("default"), 0o644);
    const before = await readFile(store.path("default"), "utf8");
    const error = await store.get("default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTokenStoreError);
    expect(error).toMatchObject({ reason: "unreadable", path: store.path("default") });
    expect((error as Error).message).toContain(`chmod 600 '${store.path("default")}'`);
    await expect(store.set("default", tokens(2))).rejects.toThrow(/chmod 600/);
    expect(await readFile(store.path("default"), "utf8")).toBe(before);
    await chmod(store.path("default"), 0o600);
    expect((await store.get("default"))?.tokenSet).toEqual(tokens(1));
  });

  it("refuses a profile directory others can read, naming chmod 700", async () => {
    const configDir = freshDir();
    const store = new FileTokenStore({ configDir });
    await store.set("default", tokens(1));
    await chmod(store.dir, 0o755);
    await expect(new FileTokenStore({ configDir }).get("default")).rejects.toThrow(`chmod 700 '${store.dir}'`);
    await chmod(store.dir, 0o700);
  });

  it("a damaged file is a clear error, and no write replaces it", async () => {
    const store = new FileTokenStore({ configDir: freshDir() });
    await store.set("default", tokens(1));
    await writeFile(store.path("default"), '{"format":"pintoken-profile/1","version":"x","data":{"tokenSet":{"acc', {
      mode: 0o600,
    });
    const damaged = await readFile(store.path("default"), "utf8");
    await expect(store.get("default")).rejects.toThrow(/is damaged \(not JSON.*nothing was changed.*mv '/);
    await expect(store.set("default", tokens(2))).rejects.toThrow(/damaged/);
    await expect(store.saveProfile("default", { tokenSet: tokens(2) })).rejects.toThrow(/damaged/);
    expect(await readFile(store.path("default"), "utf8")).toBe(damaged);
  });

  it("keeps the app and account when the token manager saves tokens", async () => {
    const store = new FileTokenStore({ configDir: freshDir() });
    const app = { clientId: "1500001", clientSecret: "secret", redirectUri: "http://localhost:8085/" };
    await store.saveProfile("default", { app, account: { username: "ada" }, tokenSet: tokens(1) });
    const { version } = (await store.get("default")) ?? {};
    expect(await store.set("default", tokens(2), { ifVersion: version ?? null })).toMatchObject({ ok: true });
    expect((await store.readProfile("default"))?.data).toEqual({
      app,
      account: { username: "ada" },
      tokenSet: tokens(2),
    });
  });

  it("encrypts with a passphrase: nothing readable on disk, and the right error without it or with another", async () => {
    const configDir = freshDir();
    const sealed = new FileTokenStore({ configDir, passphrase, passphraseSource: "PINTOKEN_PASSPHRASE" });
    await sealed.saveProfile("default", { app: { clientId: "1", clientSecret: "app-secret" }, tokenSet: tokens(7) });
    const text = await readFile(sealed.path("default"), "utf8");
    for (const secret of ["pina_7", "pinr_7", "app-secret"]) expect(text).not.toContain(secret);
    expect((await sealed.readProfile("default"))?.encrypted).toBe(true);
    expect((await sealed.get("default"))?.tokenSet).toEqual(tokens(7));
    await expect(new FileTokenStore({ configDir }).get("default")).rejects.toThrow(
      /is encrypted: set the passphrase|is encrypted/,
    );
    await expect(
      new FileTokenStore({ configDir, passphrase: `${passphrase}-other`, passphraseSource: "PINTOKEN_PASSPHRASE" }).get(
        "default",
      ),
    ).rejects.toThrow(/does not open with PINTOKEN_PASSPHRASE/);
    expect(() => new FileTokenStore({ passphrase: "short", passphraseSource: "PINTOKEN_PASSPHRASE" })).toThrow(
      /too short.*PINTOKEN_PASSPHRASE/,
    );
  });

  it("a file copied under another profile's name does not open (the name is sealed in)", async () => {
    const configDir = freshDir();
    const store = new FileTokenStore({ configDir, passphrase });
    await store.set("a", tokens(1));
    await writeFile(store.path("b"), await readFile(store.path("a")), { mode: 0o600 });
    await expect(store.get("b")).rejects.toThrow(/does not open/);
  });

  it("names files safely and lists profiles by name", async () => {
    expect(fileNameOf("default")).toBe("default");
    expect(fileNameOf("../x")).toBe("%2E.%2Fx");
    expect(fileNameOf("a:b c")).toBe("a%3Ab%20c");
    const store = new FileTokenStore({ configDir: freshDir() });
    await store.set("work:shop", tokens(1));
    await store.set("default", tokens(2));
    expect(await store.profiles()).toEqual(["default", "work:shop"]);
    await store.delete("work:shop");
    expect(await store.profiles()).toEqual(["default"]);
  });

  it("a lock or mutex left by a process of this machine that is gone is taken at once, not after its TTL", async () => {
    const store = new FileTokenStore({ configDir: freshDir() });
    await store.set("default", tokens(1));
    const { pid } = spawnSync(process.execPath, ["-e", "0"]); // a pid that no longer runs
    const base = store.path("default").replace(/\.json$/, "");
    const record = { pid, host, at: Date.now(), expiresAt: Date.now() + 60_000 };
    await writeFile(`${base}.lock`, JSON.stringify({ ...record, owner: "killed" }), { mode: 0o600 });
    await writeFile(`${base}.mutex`, JSON.stringify({ ...record, id: "killed" }), { mode: 0o600 });
    const started = Date.now();
    const lock = await store.lock("default", 60_000);
    expect(lock.tookOver).toBe(false); // nothing the dead holder had can still land
    expect(await store.set("default", tokens(2))).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    await lock.release();
    // A holder on another machine (or one still running here) is waited for until its lock expires.
    await writeFile(
      `${base}.lock`,
      JSON.stringify({ ...record, pid: process.pid, host: "elsewhere", owner: "alive", expiresAt: Date.now() + 1_000 }),
      { mode: 0o600 },
    );
    const waited = Date.now();
    const next = await store.lock("default", 60_000);
    expect(Date.now() - waited).toBeGreaterThanOrEqual(800);
    expect(next.tookOver).toBe(true);
    await next.release();
  });
});
