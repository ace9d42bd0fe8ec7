import { parseArgs } from "node:util";
import { mockClient } from "../defaults.ts";
import type { StartMockPinterestOptions } from "./start-mock-pinterest.ts";

/** The CLI's usage text. */
export const usage = `Usage: pintoken-mock [options]

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
