/**
 * What `property.test.ts` leaves out: request bodies (malformed JSON, megabytes, binary), any Unicode, header
 * injection attempts (CR/LF, NUL and Unicode line separators, raw or percent-encoded, in `returnTo`, `scopes`, `code`,
 * `state` and cookies), and hostile `Host` / `X-Forwarded-*` headers. Whatever arrives: never a 5xx, a redirect only
 * to Pinterest or to a same-origin path on one line, cookies the browser can keep, known error codes, and no token,
 * secret or piece of the input echoed in a body, a header other than `Location`, or a log line.
 */
import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Browser, basePath, expectNoSecrets, origin, secret, setupMock } from "../test/helpers.ts";

const { app, mock, log } = setupMock();

/** Put into every generated value: it must never come back except in a redirect to the user's own `returnTo`. */
const marker = "INJECTED";

const knownCodes = [
  "not_found",
  "method_not_allowed",
  "forbidden_origin",
  "invalid_scopes",
  "not_signed_in",
  "reauthorization_required",
  "pinterest_unavailable",
  "revoke_failed",
  "internal_error",
];

/** Characters that split or forge header lines and log lines, and their percent-encodings. */
const breakers = ["\r\n", "\n", "\r", "\u0000", "\u2028", "\u0085", "%0d%0a", "%0A", "%00", "%E2%80%A8", "%C2%85"];

/** Any string, with every code point (lone surrogates too) and line breakers mixed in, carrying the marker. */
const hostileText = fc
  .tuple(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.constantFrom(...breakers),
    fc.constantFrom("Set-Cookie: pintoken.session=x", "Location: https://evil.example", "//evil.example", ""),
  )
  .map(([text, breaker, header]) => `${marker}${text}${breaker}${header}`);

const hostileReturnTo = fc.oneof(
  hostileText.map((text) => `/${text}`),
  fc.constantFrom(
    `/${marker}%0d%0aSet-Cookie:%20a=1`,
    `/%2F%2Fevil.example/${marker}`,
    `/\t/evil.example/${marker}`,
    `javascript:alert(1)//${marker}`,
    `data:text/html,${marker}`,
    `/${marker}${"a".repeat(5_000)}`,
    `/ünïcødé/${marker}/🔑`,
  ),
);

/** The query of a route, as the browser sends it (percent-encoded), or raw (what a hand-made request may carry). */
const query = fc
  .array(
    fc.tuple(fc.constantFrom("returnTo", "scopes", "code", "state", "error"), fc.oneof(hostileReturnTo, hostileText)),
    { minLength: 1, maxLength: 3 },
  )
  .chain((pairs) =>
    fc.constantFrom(
      new URLSearchParams(pairs).toString(),
      pairs.map(([k, v]) => `${k}=${encodeURI(v.replace(/[\uD800-\uDFFF]/g, ""))}`).join("&"),
    ),
  );

const fiveMegabytes = `{"json":"${"x".repeat(5 * 1024 * 1024)}"}`;
const body = fc.option(
  fc.oneof(
    hostileText,
    fc.constantFrom(
      "{",
      '{"a":',
      `{"__proto__":{"polluted":"${marker}"}}`,
      `${"[".repeat(100_000)}`,
      fiveMegabytes,
      "\u0000\u0001\u0002",
    ),
    fc.uint8Array({ maxLength: 512 }),
  ),
  { nil: undefined },
);

/** Header values the Fetch API accepts (bytes 0x00-0xFF without CR, LF, NUL), hostile otherwise. */
const headerText = hostileText.map((text) =>
  [...text]
    .map((c) => (c.charCodeAt(0) > 0xff ? "\u00ff" : c))
    .join("")
    .replace(/[\r\n]/g, " ")
    .replaceAll("\u0000", " "),
);

const cookieHeader = fc.oneof(
  headerText.map((v) => `pintoken.session=${v.replace(/;/g, "")}`),
  fc.nat(60).map((n) => Array.from({ length: n }, (_, i) => `pintoken.session.${i}=${marker}${i}`).join("; ")),
  fc.constant(`pintoken.session=${"A".repeat(200_000)}`),
  fc.constant(`pintoken.state=${marker}%0d%0a; pintoken.session=%E2%80%A8${marker}`),
  fc.constant(undefined),
);

const forwardedHost = fc.option(
  fc.oneof(headerText, fc.constantFrom("evil.example", "[::1", "localhost:99999", "a".repeat(10_000), "127.0.0.1, x")),
  { nil: undefined },
);

const requests = fc.record({
  method: fc.constantFrom("GET", "POST", "HEAD"),
  route: fc.constantFrom("login", "callback", "session", "refresh", "logout", `x${marker}`),
  query,
  body,
  contentType: fc.constantFrom("application/json", "text/plain; charset=utf-8", "application/octet-stream"),
  cookie: cookieHeader,
  signedIn: fc.boolean(),
  forwardedHost,
  forwardedProto: fc.option(fc.constantFrom("https", "http", "javascript", `gopher${marker}`), { nil: undefined }),
});

/** Asserts what every answer must be, whatever the request. */
async function expectWellFormed(response: Response): Promise<string> {
  expect(response.status).toBeLessThan(500);
  const text = await response.text();
  const location = response.headers.get("location");
  if (location !== null) {
    expect(response.status).toBe(302);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    expect(location).not.toMatch(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/);
    const toPinterest = location.startsWith("https://www.pinterest.com/oauth/?");
    if (!toPinterest) {
      expect(location).toMatch(/^\/(?![/\\])/); // a same-origin path: never //host or /\host
      expect(new URL(location, origin).origin).toBe(origin);
    }
  }
  for (const line of response.headers.getSetCookie()) {
    expect(line.length).toBeLessThanOrEqual(4096);
    expect(line).toMatch(/^(__Host-)?pintoken\.(session(\.\d+)?|state)=/);
  }
  if (text && response.headers.get("content-type")?.startsWith("application/json")) {
    const json = JSON.parse(text) as { error?: { code: string } };
    if (response.status >= 400) expect(knownCodes).toContain(json.error?.code);
  }
  return text;
}

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("hostile requests in %s", (_mode, options) => {
  test("never a 5xx, a redirect only to Pinterest or a same-origin path, nothing echoed or leaked", async () => {
    const pinterest = app(options());
    await fc.assert(
      fc.asyncProperty(requests, async (input) => {
        const browser = new Browser(pinterest.handler);
        if (input.signedIn) await browser.signIn();
        const headers = new Headers({ "content-type": input.contentType, origin });
        const signedInCookies = browser.cookieHeader(`${basePath}/${input.route}`);
        const cookie = [signedInCookies, input.cookie].filter(Boolean).join("; ");
        if (cookie) headers.set("cookie", cookie);
        if (input.forwardedHost !== undefined) headers.set("x-forwarded-host", input.forwardedHost);
        if (input.forwardedProto !== undefined) headers.set("x-forwarded-proto", input.forwardedProto);
        const withBody = input.method === "POST" && input.body !== undefined;
        const response = await pinterest.handler(
          new Request(`${origin}${basePath}/${input.route}?${input.query}`, {
            method: input.method,
            headers,
            body: withBody ? (input.body as BodyInit) : null,
          }),
        );
        const text = await expectWellFormed(response);
        const shown = [
          text,
          ...[...response.headers].filter(([name]) => name !== "location").map(([n, v]) => `${n}: ${v}`),
          ...log.lines,
        ];
        for (const output of shown) expect(output, "the request's input came back").not.toContain(marker);
        const issued = mock.calls.all.flatMap((call) => {
          const b = call.body as { access_token?: string; refresh_token?: string } | undefined;
          return [b?.access_token, b?.refresh_token];
        });
        expectNoSecrets([...shown, ...response.headers.getSetCookie()], [...issued, mockClient.clientSecret, secret]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 120 },
    );
    expect(log.lines.filter((line) => line.startsWith("error:"))).toEqual([]);
  }, 180_000);
});

describe("header injection through returnTo, end to end", () => {
  test.each(breakers)("a returnTo carrying %j comes back as a path on one line, or as /", async (breaker) => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    const returnTo = `/boards${breaker}Set-Cookie: pintoken.session=forged`;
    const callback = await browser.signIn(`?returnTo=${encodeURIComponent(returnTo)}`);
    expect(callback.status).toBe(302);
    const location = callback.headers.get("location") ?? "";
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    expect(location).not.toMatch(/[\u0000-\u001f\u0085\u2028\u2029]/);
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(callback.headers.getSetCookie().filter((c) => c.includes("forged"))).toEqual([]);
    expect(browser.cookies.get("pintoken.session")?.value).not.toBe("forged");
  });
});

describe("bodies the routes do not read", () => {
  test.each([
    ["malformed JSON", '{"a":'],
    ["five megabytes", fiveMegabytes],
    ["binary", new Uint8Array([0, 255, 254, 10, 13, 0])],
    ["a prototype-polluting document", `{"__proto__":{"polluted":"${marker}"},"constructor":{"prototype":{"x":1}}}`],
  ])("POST /refresh and /logout with %s answer as without a body", async (_name, content) => {
    const pinterest = app();
    const browser = new Browser(pinterest.handler);
    await browser.signIn();
    const refreshed = await browser.post(`${basePath}/refresh`, {
      body: content,
      headers: { "content-type": "application/json" },
    });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ status: "authenticated" });
    const logout = await browser.post(`${basePath}/logout`, {
      body: content,
      headers: { "content-type": "application/json" },
    });
    expect(await logout.json()).toEqual({ status: "unauthenticated", revoked: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

test("a Host or X-Forwarded-Host longer than any real host name is not used for the redirect URI", async () => {
  const pinterest = app();
  const response = await pinterest.handler(
    new Request(`${origin}${basePath}/login`, { headers: { "x-forwarded-host": "a".repeat(10_000) } }),
  );
  expect(response.status).toBe(302);
  const authorize = new URL(response.headers.get("location") ?? "");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${origin}${basePath}/callback`);
  expect(response.headers.getSetCookie()[0]?.length).toBeLessThan(1_000);
});
