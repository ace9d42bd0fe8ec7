import { createPinterestOAuth, InvalidResponseError } from "@pintoken/core";
import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mockClient } from "./defaults.ts";
import { specSchemas } from "./operations.ts";
import { useMockPinterest } from "./testing.ts";
import { formatIssues, validate } from "./validate.ts";

// @pintoken/core checks token answers with a small check generated from the spec, not with this validator (to stay
// small). Here the two are held to agreement from the outside: every variant of the answer, each field left out or of
// a wrong type, is answered to core's client, which must refuse everything the spec refuses and take every variant as
// the spec describes it (it may refuse more: a lifetime that is not a positive number, in a field the spec leaves
// untyped there).
const { mock, server } = useMockPinterest({ beforeAll, afterEach, afterAll }, { checkConformance: false });
const oauth = createPinterestOAuth({ clientId: mockClient.clientId, clientSecret: mockClient.clientSecret });

const kinds = ["authorization_code", "refresh_token", "client_credentials", "integration_refresh"] as const;
const wrong: Record<string, unknown[]> = { string: [42, null, {}], integer: ["30", 1.5, true, null] };
const fields = {
  access_token: "string",
  token_type: "string",
  expires_in: "integer",
  scope: "string",
  refresh_token: "string",
  refresh_token_expires_in: "integer",
  refresh_token_expires_at: "integer",
} as const;

function tokenBody(kind: (typeof kinds)[number]): Record<string, unknown> {
  const base = {
    access_token: `pina_access_${"x".repeat(40)}`,
    token_type: "bearer",
    expires_in: 2592000,
    scope: "user_accounts:read,pins:read",
    response_type: kind,
  };
  const refresh = { refresh_token: `pinr_${"y".repeat(40)}`, refresh_token_expires_in: 5184000 };
  if (kind === "client_credentials") return base;
  if (kind === "integration_refresh") return { ...base, ...refresh };
  return { ...base, ...refresh, refresh_token_expires_at: 1_800_000_000 };
}

/** Every body tried: each variant as the spec describes it, then with each field left out or of a wrong type. */
function variations(): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (const kind of kinds) {
    const { response_type: _, ...untagged } = tokenBody(kind);
    for (const base of [tokenBody(kind), untagged]) {
      bodies.push(base);
      for (const [name, type] of Object.entries(fields)) {
        const { [name]: __, ...without } = base;
        bodies.push(without);
        for (const value of wrong[type] ?? []) bodies.push({ ...base, [name]: value });
      }
    }
  }
  return bodies;
}

/** What core's client says of a token answer: "" when it takes it, else its issues. */
async function coreVerdict(body: unknown): Promise<string> {
  server.use(http.post(`${mock.apiBaseUrl}/oauth/token`, () => HttpResponse.json(body as Record<string, unknown>)));
  try {
    await oauth.refresh({ refreshToken: "pinr_any" });
    return "";
  } catch (error) {
    if (error instanceof InvalidResponseError) return error.issues.join("; ");
    throw error;
  }
}

describe("core's token answer check and the spec's validator", () => {
  it("core refuses every answer the spec refuses, and takes every variant as the spec describes it", async () => {
    const bodies = variations();
    expect(bodies.length).toBeGreaterThan(100);
    const disagreements: string[] = [];
    for (const body of bodies) {
      const generic = formatIssues(validate(specSchemas, "OauthAccessTokenResponse", body));
      const issues = await coreVerdict(body);
      if (generic !== "" && issues === "") disagreements.push(`core took ${JSON.stringify(body)} (${generic})`);
    }
    expect(disagreements).toEqual([]);
    for (const kind of kinds) expect(await coreVerdict(tokenBody(kind)), kind).toBe("");
  }, 60_000); // over a hundred bodies, each through core and the validator: seconds, more on a loaded machine
});
