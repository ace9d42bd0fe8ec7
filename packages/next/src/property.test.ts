import { MemoryTokenStore } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Browser, basePath, expectNoSecrets, origin, secret, setupMock } from "../test/helpers.ts";

const { app, mock, log } = setupMock();

const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

/** Every token the mock has handed out so far. */
function issuedTokens(): string[] {
  return mock.calls.all.flatMap((call) => {
    const body = call.body as { access_token?: string; refresh_token?: string } | undefined;
    return [body?.access_token, body?.refresh_token].filter((t): t is string => typeof t === "string");
  });
}

const routeNames = ["login", "callback", "session", "refresh", "logout"];

const pathArbitrary = fc.oneof(
  fc.constantFrom(...routeNames).map((name) => `${basePath}/${name}`),
  fc
    .tuple(fc.constantFrom(...routeNames), printable(20))
    .map(([name, tail]) => `${basePath}/${name}${encodeURI(tail)}`),
  printable(40).map((tail) => `${basePath}/${encodeURI(tail)}`),
  fc.webPath(),
);

const queryArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("returnTo", "scopes", "code", "state", "error"), printable(10)),
      fc.oneof(
        printable(60),
        fc.webUrl(),
        fc.constantFrom("//evil.com", "/\\evil.com", "pins:read,x", "%", "%E0%A4%A"),
      ),
    ),
    { maxLength: 4 },
  )
  .chain((pairs) =>
    fc.constantFrom(
      new URLSearchParams(pairs).toString(),
      pairs.map(([k, v]) => `${k}=${v}`).join("&"), // raw, possibly malformed percent-encoding
    ),
  );

type CookiePiece = (cookies: Map<string, string>) => string;

const cookieArbitrary = fc
  .array(
    fc.oneof(
      fc.constant<CookiePiece>((c) => `pintoken.session=${c.get("pintoken.session")}`),
      fc.constant<CookiePiece>((c) => `pintoken.state=${c.get("pintoken.state")}`),
      fc
        .nat(500)
        .map<CookiePiece>((cut) => (c) => `pintoken.session=${(c.get("pintoken.session") ?? "").slice(0, cut)}`),
      fc.nat(500).map<CookiePiece>((at) => (c) => {
        const value = c.get("pintoken.session") ?? "";
        return `pintoken.session=${value.slice(0, at)}x${value.slice(at + 1)}`;
      }),
      fc.tuple(fc.nat(3), printable(200)).map<CookiePiece>(
        ([i, v]) =>
          () =>
            `pintoken.session.${i}=${v.replace(/;/g, "")}`,
      ),
      fc.tuple(printable(12), printable(80)).map<CookiePiece>(
        ([n, v]) =>
          () =>
            `${n.replace(/[;=]/g, "")}=${v.replace(/;/g, "")}`,
      ),
      printable(100).map<CookiePiece>((raw) => () => raw),
    ),
    { maxLength: 5 },
  )
  .map((pieces) => (cookies: Map<string, string>) => pieces.map((piece) => piece(cookies)).join("; "));

const requestArbitrary = fc.record({
  method: fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"),
  path: pathArbitrary,
  query: queryArbitrary,
  cookie: cookieArbitrary,
  origin: fc.option(
    fc.oneof(
      fc.constant(origin),
      fc.constant("null"),
      fc.webUrl().map((url) => new URL(url).origin),
    ),
    { nil: undefined },
  ),
  body: fc.option(fc.oneof(printable(300), fc.json()), { nil: undefined }),
  contentType: fc.constantFrom(
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data",
  ),
});

describe.each([
  ["cookie mode", () => ({})],
  ["store mode", () => ({ store: new MemoryTokenStore() })],
])("arbitrary requests in %s", (_mode, options) => {
  test("never a 5xx, and no token or secret in any body, header, cookie or log line", async () => {
    const pinterest = app(options());
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (input) => {
        const browser = new Browser(pinterest.handler);
        await browser.signIn();
        await browser.get(`${basePath}/login`); // a valid state cookie too
        const cookies = new Map([...browser.cookies].map(([name, c]) => [name, c.value]));
        const headers = new Headers({ cookie: input.cookie(cookies), "content-type": input.contentType });
        if (input.origin !== undefined) headers.set("origin", input.origin);
        const withBody = input.body !== undefined && input.method !== "GET" && input.method !== "HEAD";
        const request = new Request(`${origin}${input.path}?${input.query}`, {
          method: input.method,
          headers,
          body: withBody ? (input.body ?? null) : null,
        });
        const response = await pinterest.handler(request);
        expect(response.status).toBeLessThan(500);
        const outputs = [
          await response.text(),
          ...[...response.headers].filter(([name]) => name !== "set-cookie").map(([n, v]) => `${n}: ${v}`),
          ...log.lines,
        ];
        const tokens = issuedTokens();
        expectNoSecrets(outputs, [...tokens, mockClient.clientSecret, secret]);
        expectNoSecrets(response.headers.getSetCookie(), [...tokens, mockClient.clientSecret, secret]);
      }),
      { numRuns: 150 },
    );
    expect(log.lines.filter((line) => line.startsWith("error:"))).toEqual([]);
  }, 120_000);
});
