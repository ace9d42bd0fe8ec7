import type { components } from "@pintoken/core/api";
import type { MockClient } from "./defaults.ts";
import { type Endpoint, type EndpointContext, requireClient } from "./endpoints.ts";
import type { TokenRecord } from "./issued-tokens.ts";
import { invalidGrant, invalidParameters } from "./pinterest-errors.ts";
import type { Reply } from "./reply.ts";
import { describeScopeProblem, parseScopeList } from "./scopes.ts";
import { tokenResponse } from "./token-response.ts";

/** The body, validated against the spec's `OauthAccessTokenRequest` before the endpoint runs. */
type TokenRequest = components["schemas"]["OauthAccessTokenRequest"];
type Variant<G extends TokenRequest["grant_type"]> = Extract<TokenRequest, { grant_type: G }>;

function ok(body: unknown): Reply {
  return { kind: "json", status: 200, body };
}

/** Finds a code or refresh token and checks it is usable by this client, or says why the grant is invalid. */
function findGrant(context: EndpointContext, client: MockClient, value: string, kind: TokenRecord["kind"]) {
  const what = kind === "authorization_code" ? "code" : "refresh_token";
  const record = context.tokens.find(value);
  if (!record || record.kind !== kind) return invalidGrant(`The ${what} is not one this mock issued`);
  if (record.clientId !== client.clientId) {
    return invalidGrant(`The ${what} was issued to client_id ${record.clientId}, not ${client.clientId}`);
  }
  const status = context.tokens.status(record);
  if (status === "used") return invalidGrant("The code was already exchanged: codes are single use, authorize again");
  if (status === "rotated") {
    return invalidGrant("The refresh_token was already used: each refresh returns a new one, use the newest");
  }
  if (status !== "active") return invalidGrant(`The ${what} is ${status}; authorize again`);
  return record;
}

/** `grant_type=authorization_code`: a code bound to this client and redirect URI, exchanged once. */
function exchangeCode(context: EndpointContext, client: MockClient, request: Variant<"authorization_code">): Reply {
  const code = findGrant(context, client, request.code, "authorization_code");
  if (!("value" in code)) return code;
  // ASSUMED: a failed exchange does not use up the code (it still works with the right redirect_uri).
  if (code.redirectUri !== request.redirect_uri) {
    return invalidGrant(
      `redirect_uri ${JSON.stringify(request.redirect_uri)} differs from the one used to authorize (${JSON.stringify(code.redirectUri)})`,
    );
  }
  code.state = "used";
  // continuous_refresh is accepted and changes nothing: the mock issues continuous refresh tokens to every app.
  const access = context.tokens.createAccessToken(client.clientId, code.scopes, code);
  const refresh = context.tokens.createRefreshToken(client.clientId, code.scopes, code.grantId);
  return ok(tokenResponse(context.config, "authorization_code", access, refresh));
}

/** `grant_type=refresh_token`: continuous refresh, a new refresh token every time; the old one is rotated out. */
function refresh(context: EndpointContext, client: MockClient, request: Variant<"refresh_token">): Reply {
  const old = findGrant(context, client, request.refresh_token, "refresh_token");
  if (!("value" in old)) return old;
  let scopes = old.scopes;
  if (request.scope !== undefined) {
    const parsed = parseScopeList(request.scope);
    const problem = describeScopeProblem("scope", parsed);
    if (problem) return invalidParameters(problem);
    const extra = parsed.scopes.filter((scope) => !old.scopes.includes(scope));
    if (extra.length > 0) {
      return invalidParameters(
        `scope asks for ${extra.join(", ")}, which the refresh_token was not granted: request a subset of ${old.scopes.join(",")}.`,
      );
    }
    scopes = parsed.scopes;
  }
  if (context.config.rotateRefreshTokens) old.state = "rotated";
  const access = context.tokens.createAccessToken(client.clientId, scopes, old);
  // ASSUMED: the new refresh token keeps the grant's scopes; a narrowed `scope` applies to the access token only.
  const next = context.tokens.createRefreshToken(client.clientId, old.scopes, old.grantId);
  return ok(tokenResponse(context.config, "refresh_token", access, next));
}

/** `grant_type=client_credentials`: an app token for the requested scopes, without a refresh token. */
function clientCredentials(
  context: EndpointContext,
  client: MockClient,
  request: Variant<"client_credentials">,
): Reply {
  const parsed = parseScopeList(request.scope);
  const problem = describeScopeProblem("scope", parsed);
  if (problem) return invalidParameters(problem);
  const access = context.tokens.createAccessToken(client.clientId, parsed.scopes, { grantType: "client_credentials" });
  return ok(tokenResponse(context.config, "client_credentials", access));
}

/** `POST /oauth/token` (`oauth/token`). */
export const oauthToken: Endpoint = (context) => {
  const client = requireClient(context);
  const request = context.input.body as unknown as TokenRequest;
  switch (request.grant_type) {
    case "authorization_code":
      return exchangeCode(context, client, request);
    case "refresh_token":
      return refresh(context, client, request);
    case "client_credentials":
      return clientCredentials(context, client, request);
  }
};
