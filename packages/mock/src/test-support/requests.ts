import { type MockClient, mockClient } from "../defaults.ts";

/** The mock's default URLs (Pinterest's real ones). */
export const api = "https://api.pinterest.com/v5";
const consentUrl = "https://www.pinterest.com/oauth/";
export const redirectUri = mockClient.redirectUris[0];

/** `Basic base64(id:secret)` for a client. */
export function basic(client: Pick<MockClient, "clientId" | "clientSecret"> = mockClient): string {
  return `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`;
}

/** POSTs a form to `/oauth/token` (or `path`) with HTTP Basic, as a client would. */
export function postForm(
  fields: Record<string, string>,
  {
    path = "/oauth/token",
    authorization = basic(),
    base = api,
  }: { path?: string; authorization?: string | null; base?: string } = {},
): Promise<Response> {
  const headers = new Headers();
  if (authorization !== null) headers.set("authorization", authorization);
  return fetch(`${base}${path}`, { method: "POST", headers, body: new URLSearchParams(fields) });
}

/** GETs `/user_account` with a bearer token (or the given Authorization header). */
export function getAccount(token: string | null, { query = "", base = api }: { query?: string; base?: string } = {}) {
  return fetch(`${base}/user_account${query}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}

/** The consent page URL for the default client with the given scopes and state. */
export function consentPageUrl(params: Record<string, string> = {}, base = consentUrl): string {
  const query = new URLSearchParams({
    client_id: mockClient.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "user_accounts:read,pins:read",
    state: "state-123",
    ...params,
  });
  return `${base}?${query}`;
}

/** The query parameters of a redirect's Location. */
export function locationParams(response: Response): URLSearchParams {
  const location = response.headers.get("location");
  if (!location) throw new Error(`Expected a redirect, got ${response.status} without Location`);
  return new URL(location).searchParams;
}
