import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { operation } from "../operations.ts";
import { resolveOptions } from "../options.ts";
import { mockRoutes, recordedOperationAt } from "../routes.ts";
import { getAccount, postForm } from "../test-support/requests.ts";
import { useMockPinterest } from "../testing.ts";
import { responseIssues } from "./spec-conformance.ts";

const { mock, server, conformance } = useMockPinterest({ beforeAll, afterEach, afterAll });

describe("the spec-conformance check the other tests rely on", () => {
  test("finds the operation of a request by method and exact path", () => {
    const routes = mockRoutes(resolveOptions());
    const at = (method: string, url: string) => recordedOperationAt(routes, method, new URL(url));
    const api = "https://api.pinterest.com/v5";
    expect(at("POST", `${api}/oauth/token`)).toBe("oauth/token");
    expect(at("POST", `${api}/oauth/token/revoke`)).toBe("token/revoke");
    expect(at("GET", `${api}/user_account?ad_account_id=1`)).toBe("user_account/get");
    expect(at("GET", "https://www.pinterest.com/oauth/")).toBe("authorize");
    expect(at("GET", `${api}/oauth/token`)).toBeUndefined();
    expect(at("GET", `${api}/USER_ACCOUNT`)).toBeUndefined();
    expect(at("GET", "https://api.pinterest.com/v4/user_account")).toBeUndefined();
  });

  test("reports bodies that do not match the declared schema", async () => {
    const op = operation("oauth/token");
    const bad = HttpResponse.json({
      access_token: "pina_x",
      token_type: "bearer",
      expires_in: "soon",
      scope: "pins:read",
    });
    expect(await responseIssues(op, bad)).toEqual([
      'oauth/token → 200: body does not match OauthAccessTokenResponse: /expires_in: expected integer, got string "soon"',
    ]);
    const [issue, ...more] = await responseIssues(op, HttpResponse.json({ code: "E1" }, { status: 500 }));
    expect(more).toEqual([]);
    expect(issue).toMatch(/^oauth\/token → 500: body does not match Error: /);
    expect(issue).toContain('/code: expected integer, got string "E1"');
    expect(issue).toContain("/message: is required but missing");
  });

  test("reports a body where the spec declares none, and a non-JSON body", async () => {
    const revoke = operation("token/revoke");
    expect(await responseIssues(revoke, new Response("ok"))).toEqual([
      'token/revoke → 200: the spec declares no body, got "ok"',
    ]);
    expect(
      await responseIssues(revoke, new Response("<html>", { status: 403, headers: { "content-type": "text/html" } })),
    ).toEqual(["token/revoke → 403: expected application/json, got text/html"]);
  });

  test("checks what msw actually sends: an off-spec response slipped in by a handler is caught", async () => {
    server.use(http.get(`${mock.apiBaseUrl}/user_account`, () => HttpResponse.json({ id: "abc" })));
    const before = conformance.checked;
    await getAccount("pina_anything");
    expect(conformance.checked).toBe(before + 1);
    expect(await conformance.takeIssues()).toEqual([
      'user_account/get → 200: body does not match Account: /id: expected a string matching ^\\d+$, got string "abc"',
    ]);
  });

  test("the mock's own answers pass the check (success and error alike)", async () => {
    const { access_token } = mock.issueTokens({ scopes: ["pins:read"] });
    await getAccount(access_token); // 403
    await postForm({ grant_type: "client_credentials", scope: "pins:read" }); // 200
    await postForm({ token: access_token }, { path: "/oauth/token/revoke" }); // 200, empty
    expect(conformance.checked).toBeGreaterThanOrEqual(3);
    expect(await conformance.takeIssues()).toEqual([]);
  });
});
