import createClient, { type Middleware } from "openapi-fetch";
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

  it("replays without waiting for the 401's body to be cancelled (a cloned body's cancel never settles in Next.js)", async () => {
    const t = await setup(["pina_stored_86400000"]);
    const stuck: typeof fetch = async (input, init) => {
      const response = await t.fetch(input, init);
      if (response.status !== 401) return response;
      const body = new ReadableStream({ cancel: () => new Promise<void>(() => {}) });
      return new Response(body, { status: 401 });
    };
    const response = await createAuthorizedFetch(t.manager, { fetch: stuck })(`${api}/user_account`);
    expect(response.status).toBe(200);
    expect(t.refreshes()).toBe(1);
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

describe("the bearer token goes only to Pinterest's API", () => {
  it("is not attached to another host (e.g. a media upload_url), and a 401 there refreshes nothing", async () => {
    const t = await setup();
    const bucket = fakeFetch(() => json(401, { message: "Access denied" }));
    const authorizedFetch = createAuthorizedFetch(t.manager, { fetch: bucket });
    const response = await authorizedFetch("https://pinterest-media-upload.s3-accelerate.amazonaws.com/", {
      method: "POST",
      body: "file",
    });
    expect(response.status).toBe(401);
    expect(bucket.seen).toHaveLength(1);
    expect(bucket.seen[0]?.headers.get("authorization")).toBeNull();
    expect(t.refreshes()).toBe(0);
  });

  it("is not attached over plain http or to a look-alike host", async () => {
    const t = await setup();
    const other = fakeFetch(() => json(200, {}));
    const authorizedFetch = createAuthorizedFetch(t.manager, { fetch: other });
    await authorizedFetch("http://api.pinterest.com/v5/user_account");
    await authorizedFetch("https://api.pinterest.com.evil.example/v5/user_account");
    expect(other.seen.map((r) => r.headers.get("authorization"))).toEqual([null, null]);
  });

  it("goes to the origin of the oauth client's baseUrl, and to origins allowed explicitly", async () => {
    const p = pinterest();
    const oauth = createPinterestOAuth({ ...credentials, fetch: p.fetch, baseUrl: "http://127.0.0.1:4010/v5" });
    const store = new MemoryTokenStore();
    await store.set("default", tokenSet(Date.now(), 86_400_000));
    const manager = createTokenManager({ oauth, store });
    expect(manager.apiBaseUrl).toBe("http://127.0.0.1:4010/v5");
    const sent = fakeFetch(() => json(200, {}));
    const authorizedFetch = createAuthorizedFetch(manager, {
      fetch: sent,
      allowedOrigins: ["https://api-sandbox.pinterest.com"],
    });
    await authorizedFetch("http://127.0.0.1:4010/v5/user_account");
    await authorizedFetch("https://api-sandbox.pinterest.com/v5/user_account");
    await authorizedFetch(`${api}/user_account`);
    expect(sent.seen.map((r) => r.headers.get("authorization"))).toEqual([
      "Bearer pina_stored_86400000",
      "Bearer pina_stored_86400000",
      null,
    ]);
  });

  it("rejects an allowed origin that is not an origin", async () => {
    const t = await setup();
    expect(() => createAuthorizedFetch(t.manager, { allowedOrigins: ["api.example.com"] })).toThrow(
      /allowedOrigins must be origins such as "https:\/\/host\[:port\]", got "api.example.com"\./,
    );
  });

  it("the middleware leaves requests to other hosts alone", async () => {
    const t = await setup();
    const client = createClient<paths>({ baseUrl: "https://uploads.example.com", fetch: t.fetch });
    client.use(createAuthMiddleware(t.manager));
    await client.GET("/user_account");
    expect(t.apiCalls[0]?.headers.get("authorization")).toBeNull();
  });
});

describe("createAuthMiddleware", () => {
  it("a request that a later middleware answers is neither sent nor refreshed (bench/memory.ts shows it is not kept)", async () => {
    const t = await setup();
    const cache: Middleware = { onRequest: () => json(200, account) };
    const client = createClient<paths>({ baseUrl: api, fetch: t.fetch });
    client.use(createAuthMiddleware(t.manager), cache);
    for (let i = 0; i < 3; i++) expect((await client.GET("/user_account")).response.status).toBe(200);
    expect(t.apiCalls).toHaveLength(0);
    expect(t.refreshes()).toBe(0);
  });

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
