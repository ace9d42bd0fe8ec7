import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockPinterest } from "../create-mock-pinterest.ts";
import { mockClient } from "../defaults.ts";
import { scopeDescriptions } from "../scopes.ts";
import { consentPageUrl, locationParams, postForm, redirectUri } from "../test-support/requests.ts";
import { useMockPinterest } from "../testing.ts";

const { mock, server } = useMockPinterest({ beforeAll, afterEach, afterAll });

const allow = (url: string) =>
  fetch(url, { method: "POST", body: new URLSearchParams({ decision: "allow" }), redirect: "manual" });

describe("the consent page", () => {
  test("shows the app, each requested scope with the spec's description, the redirect URI, and Allow / Deny", async () => {
    const url = consentPageUrl({ scope: "user_accounts:read,boards:read_secret" });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("<h1>Pintoken Demo wants to access your Pinterest account</h1>");
    expect(html).toContain(`App ID <code>${mockClient.clientId}</code>`);
    expect(html).toContain(
      `<li><code>user_accounts:read</code><span>${scopeDescriptions["user_accounts:read"]}</span></li>`,
    );
    expect(html).toContain(
      `<li><code>boards:read_secret</code><span>${scopeDescriptions["boards:read_secret"]}</span></li>`,
    );
    expect(html).not.toContain("pins:read");
    expect(html).toContain(`<code>${redirectUri}</code>`);
    expect(html).toContain("Signed in as <strong>@pintoken_demo</strong>");
    expect(html).toMatch(/<form method="post" action="\?client_id=1500001&amp;redirect_uri=[^"]+">/);
    expect(html).toContain('name="decision" value="allow"');
    expect(html).toContain('name="decision" value="deny"');
    expect(html).not.toContain("<script");
  });

  test("escapes what the request controls (no HTML injection through state)", async () => {
    const html = await (await fetch(consentPageUrl({ state: '"><script>alert(1)</script>' }))).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
  });

  test("Allow redirects to redirect_uri with a code bound to the client, redirect URI and scopes", async () => {
    const response = await allow(consentPageUrl({ scope: "pins:read,boards:read", state: "xyz" }));
    expect(response.status).toBe(302);
    const params = locationParams(response);
    expect(params.get("state")).toBe("xyz");
    expect(mock.inspectToken(params.get("code") as string)).toMatchObject({
      kind: "authorization_code",
      clientId: mockClient.clientId,
      scopes: ["pins:read", "boards:read"],
      status: "active",
    });
  });

  test("without state the redirect carries only the code", async () => {
    const url = new URL(consentPageUrl());
    url.searchParams.delete("state");
    expect([...locationParams(await allow(url.href)).keys()]).toEqual(["code"]);
  });

  test("an unknown client_id gets an HTML error page (400), never a redirect", async () => {
    const response = await fetch(consentPageUrl({ client_id: "42" }), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain(
      "No app with client_id 42 is registered with this mock (registered: 1500001).",
    );
  });

  test("a client secret put where the client_id goes is not shown on the error page or recorded", async () => {
    const response = await fetch(consentPageUrl({ client_id: mockClient.clientSecret }), { redirect: "manual" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).not.toContain(mockClient.clientSecret);
    expect(html).toContain("No app with client_id [a client secret, not shown] is registered with this mock");
    expect(mock.calls.last()?.reason).not.toContain(mockClient.clientSecret);
  });

  test("a redirect_uri not registered for the app gets an HTML error page, never a redirect", async () => {
    const response = await allow(consentPageUrl({ redirect_uri: "https://evil.example/steal" }));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    const html = await response.text();
    expect(html).toContain("redirect_uri https://evil.example/steal is not registered for client_id 1500001.");
    expect(html).toContain("Start pintoken-mock with --redirect-uri https://evil.example/steal");
  });

  test("an app's callback on another port is refused with the flag that registers it", async () => {
    const response = await allow(consentPageUrl({ redirect_uri: "http://localhost:3310/api/pinterest/callback" }));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      "Start pintoken-mock with --app-url http://localhost:3310 or --redirect-uri",
    );
  });

  test("a missing client_id or redirect_uri gets an error page", async () => {
    const noClient = new URL(consentPageUrl());
    noClient.searchParams.delete("client_id");
    expect((await fetch(noClient)).status).toBe(400);
    const noRedirect = new URL(consentPageUrl());
    noRedirect.searchParams.delete("redirect_uri");
    const response = await fetch(noRedirect);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The request has no redirect_uri");
  });

  test("a wrong response_type is redirected back as error=unsupported_response_type", async () => {
    const response = await fetch(consentPageUrl({ response_type: "token", state: "s" }), { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(Object.fromEntries(locationParams(response))).toEqual({
      error: "unsupported_response_type",
      error_description: 'response_type is "token": send response_type=code.',
      state: "s",
    });
  });

  test("an unknown or empty scope is redirected back as error=invalid_scope", async () => {
    const unknown = await fetch(consentPageUrl({ scope: "pins:read,pins:all" }), { redirect: "manual" });
    expect(locationParams(unknown).get("error")).toBe("invalid_scope");
    expect(locationParams(unknown).get("error_description")).toMatch(
      /^scope has scopes the spec does not declare: pins:all\./,
    );
    const empty = await fetch(consentPageUrl({ scope: "" }), { redirect: "manual" });
    expect(locationParams(empty).get("error")).toBe("invalid_scope");
  });

  test("a POST without a decision gets an error page", async () => {
    const response = await fetch(consentPageUrl(), {
      method: "POST",
      body: new URLSearchParams({ decision: "maybe" }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      "The consent form must post decision=allow or decision=deny (form-encoded), got &quot;maybe&quot;.",
    );
  });

  test("with autoApprove the GET redirects with a code at once", async () => {
    const headless = createMockPinterest({ autoApprove: true });
    server.use(...headless.handlers);
    const response = await fetch(consentPageUrl({ state: "auto" }), { redirect: "manual" });
    expect(response.status).toBe(302);
    const params = locationParams(response);
    expect(params.get("state")).toBe("auto");
    expect(headless.inspectToken(params.get("code") as string)?.kind).toBe("authorization_code");
  });
});

describe("repeated parameters (RFC 6749 §3.1: a parameter must not be sent more than once)", () => {
  const repeated = (name: string, value: string) => {
    const url = new URL(consentPageUrl());
    while (url.searchParams.getAll(name).length < 2) url.searchParams.append(name, value);
    return url.href;
  };

  test.each(["client_id", "redirect_uri"])(
    "a repeated %s gets the error page, never a redirect (it cannot be trusted)",
    async (name) => {
      const second = name === "client_id" ? mockClient.clientId : mockClient.redirectUris[1];
      const response = await fetch(repeated(name, second), { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain(`${name} is sent more than once: send it once.`);
      expect(mock.listTokens()).toEqual([]);
    },
  );

  test.each([
    ["scope", "boards:read"],
    ["state", "other"],
    ["response_type", "code"],
    ["prompt", "consent"],
  ])("a repeated %s is redirected back as error=invalid_request, without a code", async (name, value) => {
    for (const method of ["GET", "POST"]) {
      const init: RequestInit =
        method === "POST" ? { method, body: new URLSearchParams({ decision: "allow" }) } : { method };
      const response = await fetch(repeated(name, value), { ...init, redirect: "manual" });
      expect(response.status).toBe(302);
      const params = Object.fromEntries(locationParams(response));
      expect(params).toEqual({
        error: "invalid_request",
        error_description: `${name} is sent more than once: send each parameter once.`,
        ...(name === "state" ? {} : { state: "state-123" }),
      });
    }
    expect(mock.listTokens()).toEqual([]);
  });

  test("a repeated decision on the form is refused", async () => {
    const body = new URLSearchParams([
      ["decision", "deny"],
      ["decision", "allow"],
    ]);
    const response = await fetch(consentPageUrl(), { method: "POST", body, redirect: "manual" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      "decision is sent more than once: post decision=allow or decision=deny once.",
    );
    expect(mock.listTokens()).toEqual([]);
  });
});

describe("mock.authorize()", () => {
  test("approves like the Allow button and returns the code and redirect URL; the code exchanges", async () => {
    const result = mock.authorize({ scopes: ["user_accounts:read"], state: "s1" });
    expect(result.state).toBe("s1");
    expect(result.redirectUrl).toBe(`${redirectUri}?code=${result.code}&state=s1`);
    const response = await postForm({ grant_type: "authorization_code", code: result.code, redirect_uri: redirectUri });
    expect(response.status).toBe(200);
  });

  test("uses the given client and redirect URI", () => {
    const result = mock.authorize({ scopes: ["pins:read"], redirectUri: mockClient.redirectUris[1] });
    expect(result.redirectUrl.startsWith(`${mockClient.redirectUris[1]}?code=`)).toBe(true);
  });

  test("throws, saying why, for what the consent page would refuse", () => {
    expect(() => mock.authorize({ scopes: ["pins:read"], clientId: "42" })).toThrow(
      "No app with client_id 42 is registered (registered: 1500001).",
    );
    expect(() => mock.authorize({ scopes: ["pins:read"], redirectUri: "https://elsewhere.example/" })).toThrow(
      "redirect_uri https://elsewhere.example/ is not registered for client_id 1500001.",
    );
    expect(() => mock.authorize({ scopes: [] })).toThrow(
      'scope is empty. Send comma-separated scopes, e.g. "user_accounts:read,pins:read".',
    );
    // @ts-expect-error: not a scope the spec declares
    expect(() => mock.authorize({ scopes: ["pins:everything"] })).toThrow(
      /^scope has scopes the spec does not declare: pins:everything\./,
    );
  });
});
