import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { isLoopback } from "@pintoken/core";
import { mockClient } from "../defaults.ts";
import {
  type MockPinterestServer,
  type StartMockPinterestOptions,
  startMockPinterest,
} from "./start-mock-pinterest.ts";

/** The CLI's usage text. */
const usage = `Usage: pintoken-mock [options]

Serves a mock Pinterest API v5 (under /v5) and consent page (at /oauth/) over HTTP.

Options:
  --port <n>             port to listen on; 0 picks a free one (default 4010)
  --host <address>       interface to bind (default 127.0.0.1, loopback only)
  --auto-approve         skip the consent page: redirect back with a code at once
  --client-id <id>       the registered app's client id (default ${mockClient.clientId})
  --client-secret <s>    its client secret (default ${mockClient.clientSecret})
  --redirect-uri <uri>   a redirect URI it may use; repeat for several (default ${mockClient.redirectUris.join(", ")})
  --app-url <origin>     the origin of a @pintoken/next app (e.g. http://localhost:3310): registers its callback
                         <origin>/api/pinterest/callback and prints the .env.local lines that point the app here
  --help                 show this help
`;

/** What the command line asks for: help, or a server. */
export type CliCommand =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly options: StartMockPinterestOptions;
      /** `--app-url`: the app whose `.env.local` lines to print. */
      readonly appUrl?: string;
    };

/** Where a `@pintoken/next` app with the default `basePath` is called back. */
export const appCallbackPath = "/api/pinterest/callback";

/** The origin `--app-url` names; throws when it is not an http(s) origin. */
function appOrigin(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || (url.pathname !== "/" && url.pathname !== ""))
    throw new Error(`--app-url must be the app's origin, such as http://localhost:3000, got ${value}.`);
  return url.origin;
}

/** The app's callback, and on this machine its twin (`localhost` ⇄ `127.0.0.1`): a browser may use either name. */
function appCallbacks(origin: string): string[] {
  const url = new URL(origin);
  const twin = { localhost: "127.0.0.1", "127.0.0.1": "localhost" }[url.hostname];
  const origins = [origin];
  if (twin) {
    url.hostname = twin;
    origins.push(url.origin);
  }
  return origins.map((o) => `${o}${appCallbackPath}`);
}

/** Reads `pintoken-mock` arguments; throws an Error that says which argument is wrong. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      "auto-approve": { type: "boolean", default: false },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "app-url": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { help: true };
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535)
    throw new Error(`--port must be a number from 0 to 65535, got ${values.port}.`);
  for (const uri of values["redirect-uri"] ?? []) {
    if (!URL.canParse(uri)) throw new Error(`--redirect-uri must be an absolute URL, got ${uri}.`);
  }
  const appUrl = values["app-url"] === undefined ? undefined : appOrigin(values["app-url"]);
  const given = [...(appUrl ? appCallbacks(appUrl) : []), ...(values["redirect-uri"] ?? [])];
  const client = {
    clientId: values["client-id"] ?? mockClient.clientId,
    clientSecret: values["client-secret"] ?? mockClient.clientSecret,
    redirectUris: given.length > 0 ? given : mockClient.redirectUris,
    name: mockClient.name,
  };
  const options = { port, host: values.host, autoApprove: values["auto-approve"], clients: [client] };
  return appUrl ? { help: false, options, appUrl } : { help: false, options };
}

/** Where the CLI writes. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The lines the CLI prints once the server is up: URLs and the registered app's credentials. */
export function describeServer(server: MockPinterestServer, autoApprove: boolean): string {
  const [client] = server.mock.clients;
  const rows: [string, string][] = [
    ["API base URL", server.apiBaseUrl],
    ["Authorization endpoint", server.authorizationEndpoint],
    ["Client ID", client?.clientId ?? ""],
    ["Client secret", client?.clientSecret ?? ""],
    ...(client?.redirectUris ?? []).map((uri, i): [string, string] => [i === 0 ? "Redirect URIs" : "", uri]),
    ["Consent", autoApprove ? "approved automatically (--auto-approve)" : "shown in the browser"],
    ["Control API", `${server.controlUrl} (loopback only; createMockControl from @pintoken/mock)`],
  ];
  const lines = rows.map(([label, value]) => `  ${label.padEnd(24)}${value}`);
  return `Mock Pinterest is running (these are test credentials, not real ones). Stop with Ctrl+C.\n${lines.join("\n")}\n`;
}

/**
 * The `.env.local` lines that point a `@pintoken/next` app at this mock: its client, its URLs and a fresh random
 * `PINTOKEN_SECRET` (the mock forgets its tokens when it stops, so a new secret each start loses nothing).
 */
export function envLines(
  server: MockPinterestServer,
  appUrl: string,
  secret = randomBytes(32).toString("base64"),
): string {
  const [client] = server.mock.clients;
  const lines = [
    `PINTEREST_CLIENT_ID=${client?.clientId ?? ""}`,
    `PINTEREST_CLIENT_SECRET=${client?.clientSecret ?? ""}`,
    `PINTEREST_API_BASE_URL=${server.apiBaseUrl}`,
    `PINTEREST_AUTHORIZATION_URL=${server.authorizationEndpoint}`,
    `PINTOKEN_SECRET=${secret}`,
  ];
  return `\nThe app at ${appUrl} may sign in here (${appUrl}${appCallbackPath} is registered). Put these lines in its .env.local, then start it:\n\n${lines.join("\n")}\n`;
}

/** Runs `pintoken-mock`: starts the server and prints how to use it. Resolves to the server (undefined for --help). */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<MockPinterestServer | undefined> {
  const command = parseCliArgs(argv);
  if (command.help) {
    output.out(usage);
    return undefined;
  }
  const { options } = command;
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) {
    output.err(`Warning: listening on ${host} exposes the mock and its test credentials beyond this machine.\n`);
  }
  const server = await startMockPinterest(options);
  output.out(describeServer(server, options.autoApprove ?? false));
  if (command.appUrl) output.out(envLines(server, command.appUrl));
  return server;
}
