import type { MockClient } from "./defaults.ts";

/** What the `Authorization` header of a request says, decoded. The secret never leaves the mock's checks. */
export type Credentials =
  | { readonly scheme: "basic"; readonly clientId: string; readonly clientSecret: string }
  | { readonly scheme: "bearer"; readonly token: string }
  | { readonly scheme: "malformed"; readonly problem: string };

/**
 * How the recorder shows a request's credentials: the client id or token, never the client secret.
 *
 * @example
 * ```ts
 * expect(mock.calls.last("oauth/token")?.auth).toEqual({ scheme: "basic", clientId: mockClient.clientId });
 * expect(mock.calls.last("user_account/get")?.auth).toEqual({ scheme: "bearer", token: accessToken });
 * ```
 */
export type RecordedAuth =
  | { readonly scheme: "basic"; readonly clientId: string }
  | { readonly scheme: "bearer"; readonly token: string }
  | { readonly scheme: "malformed"; readonly problem: string };

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** How to send client credentials, for the messages that refuse them. */
export const basicHint = "send Authorization: Basic base64(client_id:client_secret)";

function decodeBasic(encoded: string): Credentials {
  if (!base64.test(encoded)) {
    return {
      scheme: "malformed",
      problem: `Basic credentials are not base64 (${basicHint}, not the raw id and secret)`,
    };
  }
  let decoded: string;
  try {
    const binary = atob(encoded);
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return { scheme: "malformed", problem: `Basic credentials are not base64-encoded UTF-8 (${basicHint})` };
  }
  const colon = decoded.indexOf(":");
  if (colon < 0)
    return { scheme: "malformed", problem: `Basic credentials have no ":" between id and secret (${basicHint})` };
  return { scheme: "basic", clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/**
 * Decodes an `Authorization` header: `Basic base64(id:secret)` (RFC 7617) or `Bearer <token>` (RFC 6750); schemes
 * are case-insensitive. Undefined when the header is absent.
 */
export function readCredentials(header: string | null): Credentials | undefined {
  if (header === null) return undefined;
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header.trim());
  if (!match) {
    return {
      scheme: "malformed",
      problem:
        "Authorization is not '<scheme> <credentials>': send 'Basic base64(client_id:client_secret)' or 'Bearer <access token>'",
    };
  }
  const scheme = (match[1] as string).toLowerCase();
  const value = match[2] as string;
  if (scheme === "basic") return decodeBasic(value);
  if (scheme === "bearer") return { scheme: "bearer", token: value };
  return { scheme: "malformed", problem: `Authorization scheme "${match[1]}" is not supported: use Basic or Bearer` };
}

/**
 * A client id as the mock may show it (reasons, the recorder, the consent page): a registered id as sent; never a
 * registered client secret (id and secret swapped); an unknown id only if it looks like an app id (Pinterest's are
 * numeric), since an unknown value in the id's place may be a secret.
 */
export function shownClientId(sent: string, clients: readonly Pick<MockClient, "clientId" | "clientSecret">[]): string {
  if (clients.some((client) => client.clientId === sent)) return sent;
  if (clients.some((client) => client.clientSecret === sent)) return "[a client secret, not shown]";
  return /^\d{1,20}$/.test(sent) ? sent : `(${sent.length} characters, not shown)`;
}

/** The credentials as the recorder keeps them: the secret dropped, the id as {@link shownClientId} shows it. */
export function recordedAuth(
  credentials: Credentials | undefined,
  clients: readonly MockClient[],
): RecordedAuth | undefined {
  if (credentials?.scheme === "basic")
    return { scheme: "basic", clientId: shownClientId(credentials.clientId, clients) };
  return credentials;
}
