import { getResponse } from "msw";
import { describe, expect, test } from "vitest";
import { createMockPinterest } from "./create-mock-pinterest.ts";
import { defaultListLength } from "./defaults.ts";
import { mockOperations, type OperationDescription } from "./operations.ts";
import { pinterestScopes } from "./scopes.ts";
import { sample } from "./spec-answers.ts";
import { basic } from "./test-support/requests.ts";
import { responseIssues } from "./testing/spec-conformance.ts";

// The handlers as msw runs them, without a server: every operation of the spec, called as a client of it would.
const mock = createMockPinterest();
const userToken = mock.issueTokens({ scopes: [...pinterestScopes] }).access_token;
/** Operations with logic of their own, tested in their own files. */
const ownLogic = new Set(["oauth/token", "token/revoke", "user_account/get"]);

async function appToken(): Promise<string> {
  const response = await getResponse(
    mock.handlers,
    new Request(`${mock.apiBaseUrl}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic() },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: pinterestScopes.join(",") }),
    }),
  );
  if (!response) throw new Error("POST /oauth/token was not handled");
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A request that passes the operation's checks: its security, path and query parameters, and body. */
function validRequest(op: OperationDescription, tokens: { user: string; app: string }): Request {
  const params = (where: string) => op.parameters.filter((p) => p.in === where && (p.required || where === "path"));
  let path = op.path;
  for (const p of params("path"))
    path = path.replace(`{${p.name}}`, encodeURIComponent(String(sample(p.schema ?? {}))));
  const query = new URLSearchParams();
  for (const p of params("query")) {
    const value = sample(p.schema ?? {});
    if (p.style === "deepObject") {
      const add = (prefix: string, member: unknown): void => {
        if (member !== null && typeof member === "object") {
          for (const [key, inner] of Object.entries(member)) add(`${prefix}[${key}]`, inner);
        } else query.append(prefix, String(member));
      };
      add(p.name, value);
    } else for (const item of Array.isArray(value) ? value : [value]) query.append(p.name, String(item));
  }
  const headers = new Headers();
  for (const p of params("header")) headers.set(p.name, String(sample(p.schema ?? {})));
  const [alternative = {}] = op.security;
  const [scheme] = Object.keys(alternative);
  if (scheme === "basic") headers.set("authorization", basic());
  else if (scheme === "client_credentials") headers.set("authorization", `Bearer ${tokens.app}`);
  else if (scheme !== undefined) headers.set("authorization", `Bearer ${tokens.user}`);
  let body: BodyInit | undefined;
  const declared = op.requestBody;
  if (declared?.required) {
    const [type = "application/json"] = declared.contentTypes;
    headers.set("content-type", type);
    const value = declared.schema === undefined ? {} : sample(declared.schema);
    body = type.includes("json")
      ? JSON.stringify(value)
      : type === "application/x-www-form-urlencoded"
        ? new URLSearchParams(value as Record<string, string>)
        : "data";
  }
  const search = query.size ? `?${query}` : "";
  return new Request(`${mock.apiBaseUrl}${path}${search}`, { method: op.method, headers, ...(body ? { body } : {}) });
}

describe("every operation of the spec", () => {
  const generic = mockOperations.filter((op) => !ownLogic.has(op.operationId));

  test("is answered, past the spec's checks, with its success status and a body the spec allows", async () => {
    expect(generic.length).toBeGreaterThan(200);
    const tokens = { user: userToken, app: await appToken() };
    const problems: string[] = [];
    for (const op of generic) {
      const response = await getResponse(mock.handlers, validRequest(op, tokens));
      if (!response || response.status >= 300) {
        const reason = response?.headers.get("x-pintoken-mock-reason");
        problems.push(`${op.method} ${op.path}: ${response?.status ?? "unanswered"} ${reason ?? ""}`);
        continue;
      }
      problems.push(...(await responseIssues(op, response)));
    }
    expect(problems).toEqual([]);
  }, 60_000); // every operation of the spec, each answer validated: seconds, more on a loaded 2-core machine

  test("answers the same request the same way", async () => {
    const op = generic.find((candidate) => candidate.operationId === "pins/get") as OperationDescription;
    const tokens = { user: userToken, app: userToken };
    const first = await (await getResponse(mock.handlers, validRequest(op, tokens)))?.json();
    const second = await (await getResponse(mock.handlers, validRequest(op, tokens)))?.json();
    expect(first).toEqual(second);
  });
});

describe("lists Pinterest pages with a bookmark", () => {
  const list = async (query: string) => {
    const response = await getResponse(
      mock.handlers,
      new Request(`${mock.apiBaseUrl}/boards${query}`, { headers: { authorization: `Bearer ${userToken}` } }),
    );
    return {
      status: response?.status,
      body: (await response?.json()) as { items: { id: string }[]; bookmark?: string | null },
    };
  };

  test("hold listLength items, page_size at a time (the spec's default 25), each with its own id", async () => {
    const pages: number[] = [];
    const ids: string[] = [];
    let bookmark: string | null | undefined;
    do {
      const { status, body } = await list(bookmark ? `?bookmark=${encodeURIComponent(bookmark)}` : "");
      expect(status).toBe(200);
      pages.push(body.items.length);
      ids.push(...body.items.map((item) => item.id));
      bookmark = body.bookmark;
    } while (bookmark);
    expect(pages).toEqual([25, 25, defaultListLength - 50]);
    expect(new Set(ids).size).toBe(defaultListLength);
  });

  test("take page_size up to the spec's maximum, and refuse a bookmark the mock never gave", async () => {
    const { body } = await list("?page_size=50");
    expect(body.items).toHaveLength(50);
    expect((await list(`?page_size=50&bookmark=${body.bookmark}`)).body.items).toHaveLength(defaultListLength - 50);
    expect((await list("?page_size=251")).status).toBe(400);
    expect((await list("?bookmark=not-a-bookmark")).status).toBe(400);
  });

  test("of another length when the mock is made with listLength", async () => {
    const short = createMockPinterest({ listLength: 3 });
    const token = short.issueTokens({ scopes: ["boards:read"] }).access_token;
    const response = await getResponse(
      short.handlers,
      new Request(`${short.apiBaseUrl}/boards`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(await response?.json()).toMatchObject({ items: { length: 3 }, bookmark: null });
  });
});
