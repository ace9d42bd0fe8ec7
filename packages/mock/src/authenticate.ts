import { basicHint, type Credentials, shownClientId } from "./credentials.ts";
import type { MockClient } from "./defaults.ts";
import type { IssuedTokens, TokenRecord } from "./issued-tokens.ts";
import { type OperationDescription, securityScheme } from "./operations.ts";
import { authenticationFailed, forbidden } from "./pinterest-errors.ts";
import type { Reply } from "./reply.ts";

/** Who made an authenticated call: the app (HTTP Basic) and/or the access token (Bearer). */
export interface Caller {
  readonly client?: MockClient;
  readonly token?: TokenRecord;
}

type Check =
  | { readonly ok: true; readonly caller: Caller }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

const bearerHint = "send Authorization: Bearer <access token>";

/** Undoes application/x-www-form-urlencoded encoding; a value that is not valid encoding is returned as is. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

function checkBasic(credentials: Credentials | undefined, clients: readonly MockClient[]): Check {
  if (credentials === undefined) return { ok: false, status: 401, reason: `No Authorization header: ${basicHint}` };
  if (credentials.scheme === "malformed") return { ok: false, status: 401, reason: credentials.problem };
  if (credentials.scheme !== "basic") {
    return {
      ok: false,
      status: 401,
      reason: `This operation takes HTTP Basic client credentials, not a Bearer token: ${basicHint}`,
    };
  }
  // ASSUMED: like RFC 6749 §2.3.1 servers, the id and secret may also be form-urlencoded before base64 (as
  // oauth4webapi and other strict clients send them); Pinterest's own samples send them raw.
  const id = [credentials.clientId, formDecode(credentials.clientId)];
  const client = clients.find((c) => id.includes(c.clientId));
  if (!client) {
    if (clients.some((c) => c.clientSecret === credentials.clientId)) {
      const reason =
        "The client_id you sent is a registered client secret: send base64(client_id:client_secret), id first";
      return { ok: false, status: 401, reason };
    }
    const known = clients.map((c) => c.clientId).join(", ");
    const shown = shownClientId(credentials.clientId, clients);
    const quoted = shown === credentials.clientId ? `"${shown}"` : shown;
    return { ok: false, status: 401, reason: `Unknown client_id ${quoted}; registered: ${known}` };
  }
  if (![credentials.clientSecret, formDecode(credentials.clientSecret)].includes(client.clientSecret)) {
    return { ok: false, status: 401, reason: `Wrong client secret for client_id ${client.clientId}` };
  }
  return { ok: true, caller: { client } };
}

/** Which OAuth2 flow issues tokens of each grant. */
const flowOf = { authorization_code: "authorizationCode", client_credentials: "clientCredentials" } as const;

function checkBearer(
  credentials: Credentials | undefined,
  tokens: IssuedTokens,
  scopes: readonly string[],
  flows: readonly string[] | undefined,
): Check {
  if (credentials === undefined) return { ok: false, status: 401, reason: `No Authorization header: ${bearerHint}` };
  if (credentials.scheme === "malformed") return { ok: false, status: 401, reason: credentials.problem };
  if (credentials.scheme !== "bearer") {
    return {
      ok: false,
      status: 401,
      reason: `This operation takes an access token, not client credentials: ${bearerHint}`,
    };
  }
  const token = tokens.find(credentials.token);
  if (token?.kind !== "access_token") {
    const what = !token
      ? "not a token this mock issued"
      : token.kind === "refresh_token"
        ? "a refresh token"
        : "an authorization code";
    return { ok: false, status: 401, reason: `The bearer token is ${what}: use an access token from /oauth/token` };
  }
  const status = tokens.status(token);
  if (status !== "active") {
    return { ok: false, status: 401, reason: `The access token is ${status}: refresh it or authorize again` };
  }
  if (flows && !flows.includes(flowOf[token.grantType])) {
    const kind = token.grantType === "client_credentials" ? "an app token (client credentials)" : "a user token";
    return {
      ok: false,
      status: 401,
      reason: `The access token is ${kind}; this scheme takes tokens of the ${flows.join(", ")} flow`,
    };
  }
  const missing = scopes.filter((scope) => !(token.scopes as readonly string[]).includes(scope));
  if (missing.length > 0) {
    return {
      ok: false,
      status: 403,
      reason: `The access token lacks scope ${missing.join(", ")} (it has ${token.scopes.join(", ") || "none"}): include it in the scopes you authorize`,
    };
  }
  return { ok: true, caller: { token } };
}

function checkScheme(
  name: string,
  scopes: readonly string[],
  credentials: Credentials | undefined,
  clients: readonly MockClient[],
  tokens: IssuedTokens,
): Check {
  const scheme = securityScheme(name);
  if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "basic") return checkBasic(credentials, clients);
  if (scheme?.type === "oauth2") return checkBearer(credentials, tokens, scopes, scheme.flows);
  if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "bearer") {
    return checkBearer(credentials, tokens, scopes, undefined);
  }
  return {
    ok: false,
    status: 401,
    reason: `The mock cannot check security scheme "${name}" (type ${scheme?.type ?? "unknown"})`,
  };
}

/**
 * Checks a request against the operation's security requirements (any one alternative suffices, all schemes of an
 * alternative must pass). Fails with 401 `{code: 2}`, or 403 when a valid token lacks a scope.
 */
export function authenticate(
  op: OperationDescription,
  credentials: Credentials | undefined,
  clients: readonly MockClient[],
  tokens: IssuedTokens,
): { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly reply: Reply } {
  if (op.security.length === 0) return { ok: true, caller: {} };
  const failures: Extract<Check, { ok: false }>[] = [];
  for (const alternative of op.security) {
    const caller: { client?: MockClient; token?: TokenRecord } = {};
    let failed: Extract<Check, { ok: false }> | undefined;
    for (const [name, scopes] of Object.entries(alternative)) {
      const check = checkScheme(name, scopes, credentials, clients, tokens);
      if (!check.ok) {
        failed = check;
        break;
      }
      Object.assign(caller, check.caller);
    }
    if (!failed) return { ok: true, caller };
    failures.push(failed);
  }
  const worst = failures.find((f) => f.status === 403) ?? (failures[0] as Extract<Check, { ok: false }>);
  return { ok: false, reply: worst.status === 403 ? forbidden(op, worst.reason) : authenticationFailed(worst.reason) };
}
