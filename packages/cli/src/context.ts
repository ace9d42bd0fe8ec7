/** What every command gets: its streams, environment, the store, the global options; and a profile's manager. */
import {
  createPinterestOAuth,
  createTokenManager,
  type PinterestOAuth,
  type TokenManager,
  type TokenManagerEvent,
} from "@pintoken/core";
import { defaultConfigDir } from "./config-dir.ts";
import { AuthRequiredError, UsageError } from "./exit-codes.ts";
import { FileTokenStore, type ProfileApp, type StoredProfile } from "./file-token-store.ts";
import { ensureMock } from "./mock-session.ts";
import type { InputStream } from "./prompt.ts";
import { type OutputStream, type Styles, styles, useColor } from "./terminal.ts";

/** The environment variable that holds the passphrase profiles are encrypted with. */
export const passphraseVariable = "PINTOKEN_PASSPHRASE";

/** The process around a command. */
export interface Io {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl+C. */
  readonly signal: AbortSignal;
}

/** Options every command takes. */
export interface GlobalOptions {
  readonly profile?: string | undefined;
  readonly mock?: boolean | undefined;
  readonly verbose?: boolean | undefined;
}

/** A command's context. */
export interface Context extends Io {
  readonly options: GlobalOptions;
  readonly configDir: string;
  /** Styles for stderr (messages). */
  readonly color: Styles;
  /** Styles for stdout: only human-readable output (`status`, `profiles`) uses them; data (JSON, a token) never. */
  readonly outColor: Styles;
  readonly profileName: string;
  /** Opened on first use: a bad passphrase is an error only for commands that read profiles. */
  store(): FileTokenStore;
  /** A line on stderr. */
  say(line: string): void;
}

const profilePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function createContext(io: Io, options: GlobalOptions): Context {
  const profileName = options.profile ?? io.env.PINTOKEN_PROFILE ?? (options.mock ? "mock" : "default");
  if (!profilePattern.test(profileName))
    throw new UsageError(
      `A profile name is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit; got ${JSON.stringify(profileName)}.`,
    );
  const configDir = defaultConfigDir(io.env);
  let store: FileTokenStore | undefined;
  return {
    ...io,
    options,
    configDir,
    profileName,
    color: styles(useColor(io.stderr, io.env)),
    outColor: styles(useColor(io.stdout, io.env)),
    store() {
      store ??= new FileTokenStore({
        configDir,
        passphrase: io.env[passphraseVariable] || undefined,
        passphraseSource: passphraseVariable,
      });
      return store;
    },
    say(line) {
      io.stderr.write(`${line}\n`);
    },
  };
}

/** A signed-in profile, ready to use. */
export interface OpenProfile {
  readonly name: string;
  readonly stored: StoredProfile;
  readonly app: ProfileApp;
  readonly oauth: PinterestOAuth;
  readonly manager: TokenManager;
}

/** The command that signs a profile in, for messages. */
export function loginCommand(context: Context, name = context.profileName): string {
  const profile = name === (context.options.mock ? "mock" : "default") ? "" : ` --profile ${name}`;
  return `pintoken${context.options.mock ? " --mock" : ""} login${profile}`;
}

/** The OAuth client of a profile's app (against the running mock for a mock profile). */
export function oauthFor(app: ProfileApp): PinterestOAuth {
  return createPinterestOAuth({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    baseUrl: app.apiBaseUrl,
    authorizationEndpoint: app.authorizationEndpoint,
  });
}

/**
 * Opens the context's profile: its file, its app (pointed at the running mock for `--mock`), and a token manager on
 * the file store. Not signed in is an {@link AuthRequiredError} that names the login command.
 */
export async function openProfile(context: Context, name = context.profileName): Promise<OpenProfile> {
  const store = context.store();
  const stored = await store.readProfile(name);
  if (!stored?.data.app || !stored.data.tokenSet)
    throw new AuthRequiredError(
      `Profile "${name}" is not signed in${context.options.mock ? " to the mock Pinterest" : ""}: run ${loginCommand(context, name)}`,
    );
  let app = stored.data.app;
  if (app.mock && !context.options.mock)
    throw new UsageError(`Profile "${name}" is signed in to the mock Pinterest: add --mock (pintoken --mock …).`);
  if (!app.mock && context.options.mock)
    throw new UsageError(`Profile "${name}" is signed in to Pinterest, not the mock: leave out --mock.`);
  if (app.mock) {
    const mock = await ensureMock(context.configDir);
    if (mock.started)
      throw new AuthRequiredError(
        `The mock Pinterest this profile signed in to had stopped (after 30 minutes without calls, or by a logout); the new one at ${mock.url} knows none of its tokens. Sign in again: ${loginCommand(context, name)}`,
      );
    app = { ...app, apiBaseUrl: mock.apiBaseUrl, authorizationEndpoint: mock.authorizationEndpoint };
  }
  const oauth = oauthFor(app);
  const manager = createTokenManager({
    oauth,
    store,
    key: name,
    ...(context.options.verbose ? { onEvent: (event) => context.say(context.color.dim(describeEvent(event))) } : {}),
  });
  return { name, stored, app, oauth, manager };
}

/** One event of the token manager as a log line (events never hold a token). */
function describeEvent(event: TokenManagerEvent): string {
  const { type, key, ...rest } = event as TokenManagerEvent & Record<string, unknown>;
  const details = Object.entries(rest)
    .map(([name, value]) => `${name}=${value instanceof Error ? JSON.stringify(value.message) : JSON.stringify(value)}`)
    .join(" ");
  return `pintoken: ${type} (profile ${key})${details ? ` ${details}` : ""}`;
}
