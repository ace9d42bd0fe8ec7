import { createInterface } from "node:readline";
import { createState, createTokenManager, type PinterestScope, pinterestScopes } from "@pintoken/core";
import { createPinterestApi } from "@pintoken/core/api";
import { openBrowser } from "../browser.ts";
import { type Context, loginCommand, oauthFor } from "../context.ts";
import { UsageError } from "../exit-codes.ts";
import type { ProfileApp } from "../file-token-store.ts";
import { checkRedirectUri, startLoopbackRedirect } from "../loopback.ts";
import { ensureMock } from "../mock-session.ts";
import { ask } from "../prompt.ts";
import { startSpinner } from "../terminal.ts";

/** The port of the default redirect URI, `http://localhost:8085/`: the one Pinterest's own quickstart registers. */
export const defaultPort = 8085;
/** What `login` asks for when `--scopes` is not given. */
export const defaultScopes: readonly PinterestScope[] = ["user_accounts:read", "boards:read", "pins:read"];
/** How long `login` waits for the browser: an authorization code lives about as long. */
const approvalTimeoutMs = 10 * 60_000;

export interface LoginOptions {
  scopes?: string | undefined;
  port?: string | undefined;
  "redirect-uri"?: string | undefined;
  "no-browser"?: boolean | undefined;
  "client-id"?: string | undefined;
  "client-secret"?: string | undefined;
}

/** Reads `--scopes a,b` against the spec's scopes. */
export function parseScopeList(text: string): PinterestScope[] {
  const scopes = text
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(pinterestScopes as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0)
    throw new UsageError(
      `${unknown.length ? `Unknown scope ${unknown.map((s) => JSON.stringify(s)).join(", ")}` : "--scopes is empty"}. Pinterest's scopes: ${pinterestScopes.join(", ")}.`,
    );
  return [...new Set(scopes)] as PinterestScope[];
}

function redirectUriOf(options: LoginOptions): URL {
  if (options["redirect-uri"] && options.port)
    throw new UsageError("Give --redirect-uri or --port, not both (--port N means http://localhost:N/).");
  if (options["redirect-uri"]) return checkRedirectUri(options["redirect-uri"]);
  const port = options.port === undefined ? defaultPort : Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError(`--port must be a port number (1-65535), got ${JSON.stringify(options.port)}.`);
  return new URL(`http://localhost:${port}/`);
}

/** The app's credentials: flags, then the environment, then the profile's, then asked (the secret hidden). */
async function credentials(
  context: Context,
  options: LoginOptions,
): Promise<Pick<ProfileApp, "clientId" | "clientSecret">> {
  if (context.options.mock) {
    const { mockClient } = await import("@pintoken/mock"); // loaded only for --mock: it brings msw
    return { clientId: mockClient.clientId, clientSecret: mockClient.clientSecret };
  }
  const previous = (await context.store().readProfile(context.profileName))?.data.app;
  const noTerminal =
    "Give your Pinterest app's ID and secret: --client-id (or PINTEREST_CLIENT_ID) and PINTEREST_CLIENT_SECRET (or --client-secret), or run pintoken login in a terminal to be asked. Find them at https://developers.pinterest.com/apps/.";
  const clientId =
    options["client-id"] ||
    context.env.PINTEREST_CLIENT_ID ||
    previous?.clientId ||
    (await ask(context.stdin, context.stderr, "Pinterest app ID: ", { unavailable: noTerminal }));
  const sameApp = previous?.clientId === clientId;
  const clientSecret =
    options["client-secret"] ||
    context.env.PINTEREST_CLIENT_SECRET ||
    (sameApp ? previous?.clientSecret : undefined) ||
    (await ask(context.stdin, context.stderr, `App secret of ${clientId} (not shown as you type): `, {
      hidden: true,
      unavailable: noTerminal,
    }));
  if (!clientId || !clientSecret) throw new UsageError(`The app ${clientId ? "secret" : "ID"} is empty. ${noTerminal}`);
  if (clientId.includes(":"))
    throw new UsageError(`An app ID has no ":" (got one): check --client-id / PINTEREST_CLIENT_ID.`);
  return { clientId, clientSecret };
}

/** `pintoken login`. */
export async function login(context: Context, options: LoginOptions): Promise<number> {
  const { color, profileName } = context;
  const scopes = parseScopeList(options.scopes ?? defaultScopes.join(","));
  const requested = redirectUriOf(options);
  const app = await credentials(context, options);
  const loopback = await startLoopbackRedirect(requested, {
    fallbackToFreePort: context.options.mock === true && !options.port && !options["redirect-uri"],
  });
  try {
    const redirectUri = loopback.redirectUri;
    const mock = context.options.mock ? await ensureMock(context.configDir, { redirectUri }) : undefined;
    const profileApp: ProfileApp = {
      ...app,
      redirectUri,
      ...(mock
        ? { apiBaseUrl: mock.apiBaseUrl, authorizationEndpoint: mock.authorizationEndpoint, mock: true }
        : {
            apiBaseUrl: context.env.PINTEREST_API_BASE_URL || undefined,
            authorizationEndpoint: context.env.PINTEREST_AUTHORIZATION_URL || undefined,
          }),
    };
    const oauth = oauthFor(profileApp);
    const state = createState();
    const url = oauth.authorizationUrl({ scopes, state });

    if (mock) {
      context.say(
        `${color.bold("Mock Pinterest")} at ${mock.url} ${color.dim(`(${mock.started ? "started" : "running"} in the background; test credentials, no real account)`)}`,
      );
    } else {
      context.say(
        `Your app ${app.clientId} must list this redirect URI (once, at https://developers.pinterest.com/apps/ → your app → Redirect URIs):\n  ${color.bold(redirectUri)}`,
      );
    }
    const opened = options["no-browser"] ? false : await openBrowser(url, context.env);
    context.say(
      opened
        ? "Opened your browser to approve access. If it did not open, visit:"
        : "Open this URL in a browser to approve access:",
    );
    context.say(`  ${color.cyan(url)}`);
    // On the mock without a browser (over SSH, in a container), Enter does what the consent page's Allow button does.
    const enterApproves = mock !== undefined && !opened && context.stdin.isTTY === true;
    if (enterApproves) context.say(`Or press ${color.bold("Enter")} to approve here, as the mock's user.`);
    const spinner = startSpinner(
      context.stderr,
      `Waiting for you to approve in the browser… ${color.dim("(Ctrl+C cancels)")}`,
      color,
    );
    const enter = enterApproves ? onEnter(context, () => allowOnConsentPage(url)) : undefined;
    let code: string;
    try {
      ({ code } = await loopback.waitForCode(state, {
        signal: context.signal,
        timeoutMs: approvalTimeoutMs,
        onForeignState: () =>
          context.say(color.yellow("Ignored a redirect from another sign-in (its state did not match).")),
      }));
    } finally {
      enter?.stop();
      spinner.stop();
    }
    await loopback.close();

    const tokenSet = await oauth.exchangeCode({ code, redirectUri });
    const store = context.store();
    try {
      await store.saveProfile(profileName, { app: profileApp, tokenSet });
    } catch (error) {
      // Tokens nobody can keep are revoked, not left live at Pinterest.
      const revoked = await oauth.revoke({ token: tokenSet.refreshToken ?? tokenSet.accessToken }).then(
        () => "they were revoked at Pinterest",
        () =>
          "revoking them at Pinterest failed too: remove the app's access at https://www.pinterest.com/settings/security",
      );
      (error as Error).message += ` The tokens Pinterest issued could not be kept, so ${revoked}.`;
      throw error;
    }
    const manager = createTokenManager({ oauth, store, key: profileName });
    const { data: account } = await createPinterestApi({ manager, rateLimit: false })
      .GET("/user_account")
      .catch(() => ({ data: undefined }));
    if (account) {
      const username = typeof account.username === "string" ? account.username : undefined;
      const accountType = typeof account.account_type === "string" ? account.account_type : undefined;
      await store.updateProfile(profileName, (data) => ({ ...data, account: { username, accountType } }));
    }
    const who = account?.username ? `@${account.username}` : "your Pinterest account";
    context.say(`${color.green("✓")} Signed in as ${color.bold(who)} (profile "${profileName}").`);
    context.say(`  Scopes granted: ${tokenSet.scopes.join(", ") || "none"}`);
    context.say(
      `  Saved in ${store.path(profileName)} ${color.dim(`(only you can read it${(await store.readProfile(profileName))?.encrypted ? ", encrypted" : ""}; it keeps the app ID and secret too, as every refresh needs them)`)}`,
    );
    context.say(
      `  Next: ${color.bold(`${loginCommand(context).replace(/ login/, " token")}`)} prints an access token, kept fresh.`,
    );
    return 0;
  } finally {
    await loopback.close();
  }
}

/** Calls `action` when Enter is pressed on the terminal, until stopped (a failure is reported, not thrown). */
function onEnter(context: Context, action: () => Promise<void>): { stop(): void } {
  const lines = createInterface({ input: context.stdin, terminal: false });
  lines.once("line", () => {
    action().catch((error: Error) => context.say(context.color.red(`Could not approve: ${error.message}`)));
  });
  return {
    stop() {
      lines.close();
      context.stdin.pause();
    },
  };
}

/** Approves on the mock's consent page as its Allow button does, and follows the redirect back to the loopback. */
async function allowOnConsentPage(consentUrl: string): Promise<void> {
  const allowed = await fetch(consentUrl, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "decision=allow",
  });
  const back = allowed.headers.get("location");
  if (!back) throw new Error(`the consent page answered ${allowed.status} without sending you back`);
  await (await fetch(back)).arrayBuffer();
}
