import { randomBytes } from "node:crypto";
import { isLoopback } from "../loopback.ts";
import { appCallbackPath, parseCliArgs, usage } from "./cli-args.ts";
import { type MockPinterestServer, startMockPinterest } from "./start-mock-pinterest.ts";

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
