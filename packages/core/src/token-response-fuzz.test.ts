/**
 * Whatever Pinterest (or something pretending to be it) answers a token call with, the client ends in one of two
 * ways: a `TokenSet` that is valid, or a `PintokenError` of the class the answer calls for, with a message that is
 * short, says what was wrong, and contains no secret and no token. Bodies: malformed JSON, wrong types, unicode,
 * prototype-pollution keys, huge and deeply nested documents.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { credentials, tokenBody } from "../test/helpers.ts";
import { createPinterestOAuth } from "./client.ts";
import { InvalidResponseError, PinterestApiError, PintokenError } from "./errors.ts";
import { parseTokenSet } from "./parse-token-set.ts";
import type { TokenSet } from "./token-set.ts";

const refreshToken = "pinr_the_refresh_token_we_send_0123456789";
const now = 1_750_000_000_000;

/** An answer to the token call: status, content type and the body's text. */
interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function oauthAnswering(answer: Answer) {
  return createPinterestOAuth({
    ...credentials,
    retry: false,
    clock: () => now,
    fetch: async () =>
      new Response(answer.status === 204 ? null : answer.text, {
        status: answer.status,
        headers: { "content-type": answer.contentType },
      }),
  });
}

const fields = [
  "access_token",
  "token_type",
  "expires_in",
  "scope",
  "response_type",
  "refresh_token",
  "refresh_token_expires_in",
  "refresh_token_expires_at",
];

/** Any JSON value, strings with any code point (lone surrogates, controls, CR/LF, NUL) included. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyText = fc.string({ unit: "binary", maxLength: 200 });

/** A spec-valid body with one field set to something else, or removed. */
const mutatedBody = fc
  .tuple(
    fc.constantFrom("authorization_code", "refresh_token", "client_credentials", "integration_refresh" as const),
    fc.constantFrom(...fields),
    fc.option(fc.oneof(anyJson, anyText, fc.double(), fc.integer({ min: -1e12, max: 1e12 })), { nil: undefined }),
  )
  .map(([kind, field, value]) => {
    const body: Record<string, unknown> = tokenBody(kind);
    if (value === undefined) delete body[field];
    else body[field] = value;
    return JSON.stringify(body);
  });

/** Keys that pollute prototypes when merged carelessly, put into an otherwise valid body. */
const pollutingBody = fc
  .tuple(
    fc.constantFrom("__proto__", "constructor", "prototype", "__defineGetter__", "hasOwnProperty", "toString"),
    anyJson,
  )
  .map(([key, value]) => {
    const text = JSON.stringify(tokenBody("refresh_token"));
    return `{${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"},"nested":{"__proto__":{"polluted":true}},${text.slice(1)}`;
  });

/** Malformed documents: cut off, with trailing junk, not JSON at all. */
const malformed = fc.oneof(
  anyText,
  fc.nat(200).map((cut) => JSON.stringify(tokenBody("refresh_token")).slice(0, cut)),
  fc.constantFrom(
    "",
    "null",
    "[]",
    "true",
    "0",
    '"pina_string"',
    "{",
    "{}}",
    '{"access_token":"pina_x",}',
    "\uFEFF{}",
    "NaN",
    "<html><body>Bad gateway</body></html>",
  ),
);

/** Big documents: a 2 MB field, 50,000 unknown fields, nesting 100,000 levels deep (each tried once, below). */
const huge = [
  JSON.stringify(tokenBody("refresh_token", { scope: "pins:read,".repeat(200_000) })),
  JSON.stringify(tokenBody("refresh_token", { token_type: "x".repeat(2_000_000) })),
  JSON.stringify({
    ...tokenBody("refresh_token"),
    ...Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`f${i}`, i])),
  }),
  `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
  `{"access_token":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`,
  JSON.stringify(tokenBody("refresh_token", { response_type: "🔑".repeat(100_000) })),
];

/** Bodies of error answers: Pinterest's `{ code, message }` with any values, or anything else. */
const errorBody = fc.oneof(
  fc
    .record({ code: fc.oneof(fc.integer(), anyJson), message: fc.oneof(anyText, anyJson) })
    .map((b) => JSON.stringify(b)),
  fc.constantFrom(
    JSON.stringify({ code: 283, message: "The authorization grant is invalid" }),
    JSON.stringify({ code: 8, message: `m${"\r\nSet-Cookie: x=1".repeat(10_000)}` }),
    JSON.stringify({ code: 2, message: `echo of the token sent: ${refreshToken}` }), // a hostile or broken server
  ),
  malformed,
);

const answers: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({
    status: fc.constantFrom(200, 201),
    contentType: fc.constantFrom("application/json", "text/html", "application/json; charset=utf-8", ""),
    text: fc.oneof(mutatedBody, pollutingBody, malformed),
  }),
  fc.record({
    status: fc.constantFrom(400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504),
    contentType: fc.constantFrom("application/json", "text/plain"),
    text: errorBody,
  }),
);

/** What the client must end with, whatever the answer: a valid set, or the right error, short and without secrets. */
async function expectHandled(answer: Answer): Promise<void> {
  let result: TokenSet | undefined;
  let error: unknown;
  try {
    result = await oauthAnswering(answer).refresh({ refreshToken });
  } catch (caught) {
    error = caught;
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  if (result) {
    expect(answer.status).toBeLessThan(300);
    expect(parseTokenSet(result)).toEqual(result);
    expect(result.expiresAt).toBeGreaterThan(now);
    expect(new Date(result.refreshTokenExpiresAt ?? now).getTime()).not.toBeNaN(); // every expiry is a date
    return;
  }
  expect(error).toBeInstanceOf(PintokenError);
  if (answer.status < 300) expect(error).toBeInstanceOf(InvalidResponseError);
  else expect(error).toMatchObject({ name: "PinterestApiError", status: answer.status });
  const { message } = error as Error;
  expect(message.length).toBeLessThan(2_000);
  expect(message).not.toMatch(/[\r\n]/);
  for (const shown of [message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
    for (const secret of tokensIn(answer.text)) expect(shown).not.toContain(secret);
  }
}

/** Token values in a body we sent or Pinterest returned: none may show in an error. */
function tokensIn(text: string): string[] {
  const found = text.match(/pin[ar]_[A-Za-z0-9_]{20,}/g) ?? [];
  return [...found, refreshToken, credentials.clientSecret];
}

describe("the client's reading of token answers, under any answer", () => {
  it("resolves with a valid TokenSet or rejects with the right PintokenError: short, clear, without secrets or tokens", async () => {
    await fc.assert(fc.asyncProperty(answers, expectHandled), { numRuns: 500 });
  }, 60_000);

  it.each(huge.map((text) => [text.length, text]))(
    "a body of %i characters (huge, wide or deeply nested) ends in a valid set or a short InvalidResponseError",
    (_length, text) => expectHandled({ status: 200, contentType: "application/json", text }),
  );

  it("a body with __proto__ keys builds a plain TokenSet and pollutes nothing", async () => {
    const answer = await fc.sample(pollutingBody, 1)[0];
    const tokens = await oauthAnswering({ status: 200, contentType: "application/json", text: answer ?? "" }).refresh({
      refreshToken,
    });
    expect(Object.getPrototypeOf(tokens)).toBe(Object.prototype);
    expect(Object.keys(tokens).sort()).toEqual([
      "accessToken",
      "expiresAt",
      "issuedAt",
      "refreshToken",
      "refreshTokenExpiresAt",
      "responseType",
      "scopes",
      "tokenType",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an error answer's message from Pinterest is quoted without line breaks and cut short", async () => {
    const error = await oauthAnswering({
      status: 400,
      contentType: "application/json",
      text: JSON.stringify({ code: 1, message: `bad\r\nSet-Cookie: x=1 ${"y".repeat(100_000)}` }),
    })
      .refresh({ refreshToken })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinterestApiError);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    expect((error as Error).message.length).toBeLessThan(2_000);
    expect((error as PinterestApiError).pinterestCode).toBe(1);
  });

  it("lifetimes too long to be dates, and an expiry before 1970, are refused and say what was wrong", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { expires_in: 1.8e305 },
        "/expires_in: expected a positive number of seconds (up to 100 years), got integer 1.8e+305",
      ],
      [{ refresh_token_expires_in: 2 ** 53 }, "/refresh_token_expires_in: expected a positive number of seconds (up"],
    ];
    for (const [fields, issue] of cases) {
      const text = JSON.stringify(tokenBody("refresh_token", fields));
      const error = await oauthAnswering({ status: 200, contentType: "application/json", text })
        .refresh({ refreshToken })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).issues[0]).toContain(issue);
    }
    // A code exchange's answer may give the refresh token's expiry as a time only.
    const { refresh_token_expires_in: _, ...withoutIn } = tokenBody("authorization_code", {
      refresh_token_expires_at: -1e300,
    });
    const error = await oauthAnswering({
      status: 200,
      contentType: "application/json",
      text: JSON.stringify(withoutIn),
    })
      .exchangeCode({ code: "a-code", redirectUri: "https://example.com/callback" })
      .catch((e: unknown) => e);
    expect((error as InvalidResponseError).issues).toEqual([
      "/refresh_token_expires_at: expected a positive epoch time, got integer -1e+300",
    ]);
  });

  it("a refresh token's lifetime that is not a number is refused, and the error shows it escaped on one line", async () => {
    for (const [field, value] of [
      ["refresh_token_expires_at", "\r\nSet-Cookie: x=1"],
      ["refresh_token_expires_in", "86400"],
    ] as const) {
      const { refresh_token_expires_in: _, ...body } = tokenBody("client_credentials", { refresh_token: "pinr_x" });
      const text = JSON.stringify({ ...body, [field]: value });
      const error = await oauthAnswering({ status: 200, contentType: "application/json", text })
        .clientCredentials({ scopes: ["pins:read"] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).issues).toEqual([
        `/${field}: expected a positive ${field.endsWith("_at") ? "epoch time" : "number of seconds"}, got string ${JSON.stringify(value)}`,
      ]);
      expect((error as Error).message).not.toMatch(/[\r\n]/);
    }
  });

  it("a field another kind of answer has, with the wrong type, is ignored, never taken into the token set", async () => {
    for (const refresh_token of [{}, 5e-324, ["pinr_x"], true]) {
      const text = JSON.stringify(tokenBody("client_credentials", { refresh_token }));
      const tokens = await oauthAnswering({ status: 200, contentType: "application/json", text }).clientCredentials({
        scopes: ["pins:read"],
      });
      expect(tokens.refreshToken).toBeUndefined();
      expect(parseTokenSet(JSON.parse(JSON.stringify(tokens)))).toEqual(tokens);
    }
  });
});
