import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { apiHandlers } from "./handlers.ts";
import { IssuedTokens } from "./issued-tokens.ts";
import type { OperationDescription } from "./operations.ts";
import { resolveOptions } from "./options.ts";
import { createRecorder } from "./recorder.ts";
import { ScenarioQueue } from "./scenarios.ts";

// Operations described here rather than taken from the spec, to exercise each kind the spec has: path and integer
// parameters, JSON bodies, public operations, and answers taken from the spec's examples.
const operations: OperationDescription[] = [
  {
    operationId: "pins/get",
    method: "GET",
    path: "/pins/{pin_id}",
    security: [{ pinterest_oauth2: ["pins:read"] }],
    parameters: [
      { name: "pin_id", in: "path", required: true, schema: { type: "string", pattern: "^\\d+$" } },
      { name: "page_size", in: "query", required: false, schema: { type: "integer", maximum: 250 } },
      { name: "x-tag", in: "header", required: true, schema: { type: "string", minLength: 2 } },
    ],
    responses: { "200": { description: "Success", schema: "Error", example: { code: 0, message: "pin" } } },
  },
  {
    operationId: "echo/post",
    method: "POST",
    path: "/echo",
    security: [],
    parameters: [],
    requestBody: { required: true, contentTypes: ["application/json"], schema: "Error" },
    responses: { "201": { description: "Created" } },
  },
];

const config = resolveOptions();
const tokens = new IssuedTokens(config);
const { recorder, record } = createRecorder(1_000);
const runtime = () => ({ config, tokens, scenarios: new ScenarioQueue(), record, routes: [] });
const server = setupServer(...apiHandlers(runtime(), operations));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => recorder.reset());
afterAll(() => server.close());

const api = config.apiBaseUrl;
const token = tokens.createAccessToken("1500001", ["pins:read"], { grantType: "authorization_code" }).value;
const headers = { authorization: `Bearer ${token}`, "x-tag": "ok" };

async function message(response: Response) {
  return ((await response.json()) as { message: string }).message;
}

describe("handlers built from operation descriptions", () => {
  test("path, query and header parameters are converted to their types and validated", async () => {
    const ok = await fetch(`${api}/pins/123?page_size=25`, { headers });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ code: 0, message: "pin" });

    expect(await message(await fetch(`${api}/pins/abc`, { headers }))).toBe(
      'Invalid path parameter "pin_id": expected a string matching ^\\d+$, got string "abc".',
    );
    expect(await message(await fetch(`${api}/pins/1?page_size=500`, { headers }))).toBe(
      'Invalid query parameter "page_size": expected ≤ 250, got 500.',
    );
    expect(await message(await fetch(`${api}/pins/1?page_size=ten`, { headers }))).toBe(
      'Invalid query parameter "page_size": expected integer, got string "ten".',
    );
    expect(await message(await fetch(`${api}/pins/1`, { headers: { authorization: headers.authorization } }))).toBe(
      'Missing required header parameter "x-tag".',
    );
  });

  test("JSON bodies are parsed and validated; malformed JSON and other content types are refused", async () => {
    const post = (body: string, contentType = "application/json") =>
      fetch(`${api}/echo`, { method: "POST", headers: { "content-type": contentType }, body });
    const created = await post(JSON.stringify({ code: 1, message: "hi" }));
    expect(created.status).toBe(201);
    expect(await created.text()).toBe("");
    expect(await message(await post(JSON.stringify({ code: "one" })))).toMatch(
      /^Invalid request body for POST \/echo: .*\/code: expected integer, got string "one"/,
    );
    expect(await message(await post("{not json"))).toBe("The body of POST /echo is not valid JSON.");
    const form = await post("code=1", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect(await message(form)).toBe(
      "POST /echo does not accept Content-Type application/x-www-form-urlencoded: send application/json.",
    );
  });

  test("an OAuth2 scheme takes only tokens of its own flows (pinterest_oauth2: user tokens, not app tokens)", async () => {
    const appToken = tokens.createAccessToken("1500001", ["pins:read"], { grantType: "client_credentials" }).value;
    const response = await fetch(`${api}/pins/123`, { headers: { ...headers, authorization: `Bearer ${appToken}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-pintoken-mock-reason")).toBe(
      "The access token is an app token (client credentials); this scheme takes tokens of the authorizationCode flow",
    );
  });

  test("operations without security requirements need no Authorization", async () => {
    const response = await fetch(`${api}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: 1, message: "hi" }),
    });
    expect(response.status).toBe(201);
    expect(recorder.last()?.auth).toBeUndefined();
  });

  test("a method msw cannot serve is refused when the handlers are built", () => {
    const trace = { ...(operations[1] as OperationDescription), method: "TRACE" };
    expect(() => apiHandlers(runtime(), [trace])).toThrow(
      "The mock cannot serve TRACE /echo (echo/post): unsupported method.",
    );
  });
});
