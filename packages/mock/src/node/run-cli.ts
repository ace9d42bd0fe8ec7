import { parseArgs } from "node:util";
import { mockClient } from "../defaults.ts";
import { isLoopback } from "../loopback.ts";
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
  --help                 show this help
`;

/** What the command line asks for: help, or a server. */
export type CliCommand =
  | { readonly help: true }
  | { readonly help: false; readonly options: StartMockPinterestOptions };

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
  const client = {
    clientId: values["client-id"] ?? mockClient.clientId,
    clientSecret: values["client-secret"] ?? mockClient.clientSecret,
    redirectUris: values["redirect-uri"] ?? mockClient.redirectUris,
    name: mockClient.name,
  };
  return { help: false, options: { port, host: values.host, autoApprove: values["auto-approve"], clients: [client] } };
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
  return server;
}
