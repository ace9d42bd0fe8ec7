import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { credentials, fakeFetch, json, type SeenRequest, tokenBody, tokenSet } from "../test/helpers.ts";
import { createAuthMiddleware, createAuthorizedFetch } from "./authorized-fetch.ts";
import { createPinterestOAuth } from "./client.ts";
import { ReauthorizationRequiredError } from "./errors.ts";
import type { paths } from "./generated/openapi.gen.ts";
import { createTokenManager } from "./token-manager.ts";
import { MemoryTokenStore } from "./token-store.ts";

const api = "https://api.pinterest.com/v5";
const account = { username: "pintoken_demo", id: "2783136121146311751" };

/**
 * A fake Pinterest whose API accepts only the newest access token; the token endpoint rotates. `reject` lists
 * access tokens the API answers 401 to even though they look unexpired (revoked on Pinterest's side).
 */
function pinterest(reject: string[] = []) {
  let issued = 0;
  let current = "pina_stored_86400000";
  const apiCalls: SeenRequest[] = [];
  const fetch = fakeFetch((request) => {
    if (request.url.pathname === "/v5/oauth/token") {
      issued++;
      current = `pina_new_${issued}`;
      return json(200, tokenBody("refresh_token", { access_token: current }));
    }
    apiCalls.push(request);
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (token !== current || reject.includes(token)) return json(401, { code: 2, message: "Authentication failed." });
    return json(200, { ...account, echoed: request.text });
  });
  return { fetch, apiCalls, refreshes: () => issued };
}

async function setup(reject?: string[]) {
  const p = pinterest(reject);
  const oauth = createPinterestOAuth({ ...credentials, fetch: p.fetch });
  const store = new MemoryTokenStore();
  await store.set("default", tokenSet(Date.now(), 86_400_000));
  const manager = createTokenManager({ oauth, store });
  return { ...p, manager, store };
}

describe("createAuthorizedFetch", () => {
  it("adds the bearer token", async () => {
    const t = await setup();
    const response = await createAuthorizedFetch(t.manager, { fetch: t.fetch })(`${api}/user_account`);
    expect(response.status).toBe(200);
    expect(t.apiCalls[0]?.headers.get("authorization")).toBe("Bearer pina_stored_86400000");
    expect(t.refreshes()).toBe(0);
  });

  it("on a 401 refreshes once and replays the request once, body included", async () => {
    const t = await setup(["pina_stored_86400000"]);
    const authorizedFetch = createAuthorizedFetch(t.manager, { fetch: t.fetch });
    const response = await authorizedFetch(`${api}/pins`, {
      method: "POST",
      body: "title=hello",
      headers: { "x-trace": "1" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ echoed: "title=hello" });
    expect(t.refreshes()).toBe(1);
    expect(t.apiCalls.map((c) => c.headers.get("authorization"))).toEqual([
      "Bearer pina_stored_86400000",
      "Bearer pina_new_1",
    ]);
    expect(t.apiCalls[1]?.headers.get("x-trace")).toBe("1");
    expect((await t.store.get("default"))?.tokenSet.accessToken).toBe("pina_new_1");
  });

  it("returns the second 401 instead of looping", async () => {
    const t = await setup(["pina_stored_86400000", "pina_new_1"]);
    const response = await createAuthorizedFetch(t.manager, { fetch: t.fetch })(`${api}/user_account`);
    expect(response.status).toBe(401);
    expect(t.apiCalls).toHaveLength(2);
    expect(t.refreshes()).toBe(1);
  });

  it("concurrent 401s share one refresh", async () => {
    const t = await setup(["pina_stored_86400000"]);
    const authorizedFetch = createAuthorizedFetch(t.manager, { fetch: t.fetch });
    const responses = await Promise.all(Array.from({ length: 20 }, () => authorizedFetch(`${api}/user_account`)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(t.refreshes()).toBe(1);
  });

  it("surfaces a dead grant as ReauthorizationRequiredError", async () => {
    const oauth = createPinterestOAuth({
      ...credentials,
      fetch: fakeFetch(() => json(401, { code: 283, message: "The authorization grant is invalid" })),
    });
    const store = new MemoryTokenStore();
    await store.set("default", tokenSet(Date.now(), 86_400_000));
    const authorizedFetch = createAuthorizedFetch(createTokenManager({ oauth, store }), {
      fetch: fakeFetch(() => json(401, { code: 2, message: "Authentication failed." })),
    });
    await expect(authorizedFetch(`${api}/user_account`)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
  });

  it("works as openapi-fetch's fetch", async () => {
    const t = await setup(["pina_stored_86400000"]);
    const client = createClient<paths>({ baseUrl: api, fetch: createAuthorizedFetch(t.manager, { fetch: t.fetch }) });
    const { data, error } = await client.GET("/user_account");
    expect(error).toBeUndefined();
    expect(data?.username).toBe("pintoken_demo");
  });
});

describe("createAuthMiddleware", () => {
  it("authenticates openapi-fetch requests and replays once after a 401", async () => {
    const t = await setup(["pina_stored_86400000"]);
    const client = createClient<paths>({ baseUrl: api, fetch: t.fetch });
    client.use(createAuthMiddleware(t.manager));
    const { data, response } = await client.GET("/user_account", { params: { query: { ad_account_id: "123" } } });
    expect(response.status).toBe(200);
    expect(data?.id).toBe(account.id);
    expect(t.apiCalls.map((c) => c.url.search)).toEqual(["?ad_account_id=123", "?ad_account_id=123"]);
    expect(t.refreshes()).toBe(1);
  });

  it("leaves other responses alone", async () => {
    const t = await setup();
    const client = createClient<paths>({ baseUrl: api, fetch: t.fetch });
    client.use(createAuthMiddleware(t.manager));
    const { response } = await client.GET("/user_account");
    expect(response.status).toBe(200);
    expect(t.apiCalls).toHaveLength(1);
  });
});
