/**
 * `GET /api/token-check`, the Route Handler that calls `getAccessToken()` on the server (the load benchmark's
 * target), over plain HTTP with a session signed in through the mock's consent page.
 */
import { expect, test } from "vitest";
import { appUrl, control, expectNoneContain, secrets, tokenCalls } from "./demo-app.ts";
import { signInOverHttp } from "./http-sign-in.ts";

async function tokenCheck(cookie?: string) {
  const response = await fetch(`${appUrl}/api/token-check`, { headers: cookie ? { cookie } : {} });
  const text = await response.text();
  const headers = [...response.headers].filter(([name]) => name !== "set-cookie").map(([n, v]) => `${n}: ${v}`);
  return { response, text, headers, body: JSON.parse(text) as Record<string, unknown> };
}

test("signed in: 200 with the access token's expiry (the session's), and no token in the answer", async () => {
  await control.clearCalls();
  const cookie = await signInOverHttp(appUrl);
  const [exchange] = await tokenCalls("authorization_code");
  expect(exchange?.status).toBe(200);

  const { response, text, headers, body } = await tokenCheck(cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const session = (await (await fetch(`${appUrl}/api/pinterest/session`, { headers: { cookie } })).json()) as {
    status: string;
    expiresAt: number;
  };
  expect(session.status).toBe("authenticated");
  expect(body).toEqual({ ok: true, expiresAt: session.expiresAt });
  // A fresh token: nothing was refreshed.
  expect(await tokenCalls("refresh_token")).toEqual([]);
  expectNoneContain(
    [
      { where: "the body", text },
      { where: "a header", text: headers.join("\n") },
    ],
    await secrets(),
  );
});

test("signed out: 401 reauthorization_required", async () => {
  const { response, body } = await tokenCheck();
  expect(response.status).toBe(401);
  expect(body).toEqual({ ok: false, error: "reauthorization_required" });
});
