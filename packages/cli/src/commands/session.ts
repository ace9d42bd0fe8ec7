/** `pintoken token`, `status`, `logout` and `profiles`: a signed-in profile's token, state and end. */
import { PintokenError, type TokenSet } from "@pintoken/core";
import { createPinterestApi } from "@pintoken/core/api";
import { type Context, loginCommand, openProfile } from "../context.ts";
import { exitCodeOf } from "../exit-codes.ts";
import type { FileTokenStore } from "../file-token-store.ts";
import { runningMock, stopMock } from "../mock-session.ts";

/** `pintoken token`: a valid access token on stdout and nothing else (refreshed and saved first when due). */
export async function token(context: Context): Promise<number> {
  const { manager } = await openProfile(context);
  context.stdout.write(`${await manager.getAccessToken({ signal: context.signal })}\n`);
  return 0;
}

/** "in 3 days", "in 4 minutes", "2 hours ago". */
export function relativeTime(at: number, now = Date.now()): string {
  const ms = at - now;
  const abs = Math.abs(ms);
  const [value, unit] =
    abs >= 86_400_000 * 2
      ? [Math.floor(abs / 86_400_000), "days"]
      : abs >= 3_600_000 * 2
        ? [Math.floor(abs / 3_600_000), "hours"]
        : abs >= 120_000
          ? [Math.floor(abs / 60_000), "minutes"]
          : [Math.floor(abs / 1_000), "seconds"];
  return ms >= 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

const isoMinute = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** What `status --json` and `profiles --json` say of a token set (never a token). */
function tokenFacts(tokenSet: TokenSet) {
  return {
    scopes: tokenSet.scopes,
    accessTokenExpiresAt: new Date(tokenSet.expiresAt).toISOString(),
    ...(tokenSet.refreshTokenExpiresAt
      ? { refreshTokenExpiresAt: new Date(tokenSet.refreshTokenExpiresAt).toISOString() }
      : {}),
  };
}

/** `pintoken status`: the profile's account, app, scopes and expiries, and (unless `--offline`) a call to Pinterest. */
export async function status(context: Context, options: { offline?: boolean; json?: boolean }): Promise<number> {
  const color = context.outColor;
  const profile = await openProfile(context);
  const { stored, app, manager, name } = profile;
  const store = context.store();
  let check: { ok: true; username?: string } | { ok: false; error: string; exitCode: number } | undefined;
  if (!options.offline) {
    try {
      const api = createPinterestApi({ manager, rateLimit: false });
      const { data, error, response } = await api.GET("/user_account", { signal: context.signal });
      check = data
        ? { ok: true, ...(data.username ? { username: data.username } : {}) }
        : { ok: false, error: `GET /user_account answered ${response.status}: ${JSON.stringify(error)}`, exitCode: 3 };
    } catch (error) {
      check = { ok: false, error: (error as Error).message, exitCode: exitCodeOf(error) };
    }
  }
  const tokenSet = (await manager.peek()) ?? (stored.data.tokenSet as TokenSet);
  const account = stored.data.account?.username ?? (check?.ok ? check.username : undefined);
  if (options.json) {
    context.stdout.write(
      `${JSON.stringify(
        {
          profile: name,
          file: store.path(name),
          encrypted: stored.encrypted,
          mock: app.mock === true,
          clientId: app.clientId,
          ...(account ? { username: account } : {}),
          ...tokenFacts(tokenSet),
          ...(check ? { pinterest: check.ok ? "ok" : check.error } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const line = (label: string, value: string) =>
      context.stdout.write(`  ${color.dim(`${label}:`.padEnd(16))}${value}\n`);
    context.stdout.write(`${color.bold(`Profile "${name}"`)}${app.mock ? " (mock Pinterest)" : ""}\n`);
    line("Account", account ? `@${account}` : "unknown");
    line("App", `${app.clientId} (its secret is kept in the profile file)`);
    line("Scopes", tokenSet.scopes.join(", ") || "none");
    line(
      "Access token",
      tokenSet.expiresAt > Date.now()
        ? `valid until ${isoMinute(tokenSet.expiresAt)} (${relativeTime(tokenSet.expiresAt)}); refreshed when it expires within 5 minutes`
        : `expired ${relativeTime(tokenSet.expiresAt)}; the next command refreshes it`,
    );
    if (tokenSet.refreshTokenExpiresAt)
      line(
        "Refresh token",
        `valid until ${isoMinute(tokenSet.refreshTokenExpiresAt)} (${relativeTime(tokenSet.refreshTokenExpiresAt)}); renewed by every refresh`,
      );
    line("Stored in", `${store.path(name)}${stored.encrypted ? " (encrypted)" : ""}`);
    if (check) line("Pinterest", check.ok ? color.green("ok: the token works") : color.red(check.error));
  }
  return check && !check.ok ? check.exitCode : 0;
}

/** `pintoken logout`: revokes the refresh token at Pinterest, then deletes the profile file. */
export async function logout(context: Context): Promise<number> {
  const { color } = context;
  const store = context.store();
  if (
    context.options.mock &&
    (await store.readProfile(context.profileName))?.data.app?.mock &&
    !(await runningMock(context.configDir))
  ) {
    await store.delete(context.profileName);
    context.say(
      `${color.green("✓")} Signed out of profile "${context.profileName}" (the mock Pinterest had stopped, and its tokens with it).`,
    );
    return 0;
  }
  const { manager, name, app } = await openProfile(context);
  let failure: unknown;
  try {
    await manager.revoke({ signal: context.signal });
  } catch (error) {
    if (!(error instanceof PintokenError) || exitCodeOf(error) === 5) throw error;
    failure = error; // core deleted the profile already; the revoke is what failed
  }
  if (app.mock && (await mockProfiles(context.store())).length === 0 && (await stopMock(context.configDir)))
    context.say(color.dim("Stopped the mock Pinterest (no mock profile is left)."));
  if (failure) {
    context.say(
      `${color.yellow("!")} Signed out of profile "${name}" here, but Pinterest could not revoke the token: ${(failure as Error).message}`,
    );
    context.say(
      "  The refresh token may stay valid until it expires: remove the app's access at https://www.pinterest.com/settings/security if you no longer trust this machine.",
    );
    return exitCodeOf(failure);
  }
  context.say(
    `${color.green("✓")} Signed out of profile "${name}": the token is revoked at Pinterest and the profile deleted.`,
  );
  return 0;
}

async function mockProfiles(store: FileTokenStore): Promise<string[]> {
  const names: string[] = [];
  for (const name of await store.profiles()) {
    const found = await store.readProfile(name).catch(() => undefined);
    if (found?.data.app?.mock) names.push(name);
  }
  return names;
}

/** `pintoken profiles`: every profile, who it is signed in as, and whether it can be used. */
export async function profiles(context: Context, options: { json?: boolean }): Promise<number> {
  const color = context.outColor;
  const store = context.store();
  const rows: Record<string, unknown>[] = [];
  for (const name of await store.profiles()) {
    try {
      const found = await store.readProfile(name);
      const tokenSet = found?.data.tokenSet;
      const refreshDead = tokenSet?.refreshTokenExpiresAt !== undefined && tokenSet.refreshTokenExpiresAt <= Date.now();
      rows.push({
        profile: name,
        state: !tokenSet ? "signed out" : refreshDead ? "expired: sign in again" : "ok",
        ...(found?.data.account?.username ? { username: found.data.account.username } : {}),
        ...(found?.data.app ? { clientId: found.data.app.clientId, mock: found.data.app.mock === true } : {}),
        ...(found ? { encrypted: found.encrypted } : {}),
        ...(tokenSet ? tokenFacts(tokenSet) : {}),
      });
    } catch (error) {
      rows.push({ profile: name, state: "unreadable", error: (error as Error).message });
    }
  }
  if (options.json) {
    context.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    context.say(`No profile yet: sign in with ${loginCommand(context)}. Profiles live in ${store.dir}.`);
    return 0;
  }
  for (const row of rows) {
    const current = row.profile === context.profileName ? color.green("*") : " ";
    const who = row.username ? `@${row.username}` : "";
    const state = row.state === "ok" ? color.green("ok") : color.yellow(String(row.state));
    const notes = [row.mock ? "mock" : "", row.encrypted ? "encrypted" : ""].filter(Boolean).join(", ");
    context.stdout.write(
      `${current} ${String(row.profile).padEnd(16)} ${who.padEnd(24)} ${state}${notes ? color.dim(` (${notes})`) : ""}\n`,
    );
    if (row.error) context.stdout.write(`    ${color.dim(String(row.error))}\n`);
  }
  return 0;
}
