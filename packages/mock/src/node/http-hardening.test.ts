import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { rawRequest } from "../test-support/raw-request.ts";
import { basic } from "../test-support/requests.ts";
import { type MockPinterestServer, startMockPinterest } from "./start-mock-pinterest.ts";

let server: MockPinterestServer;
beforeAll(async () => {
  server = await startMockPinterest({ port: 0 });
});
afterAll(() => server.close());

const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(server.url, method, path, headers);

/**
 * Streams `total` bytes of form body without holding them (64 KiB chunks written as the socket drains); resolves with
 * the status as soon as the response arrives, and how many bytes had been handed to the socket by then.
 */
function upload(total: number, declareLength: boolean): Promise<{ status: number; sent: number; body: string }> {
  const { port } = new URL(server.url);
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve, reject) => {
    let sent = 0;
    const headers: Record<string, string> = {
      authorization: basic(),
      "content-type": "application/x-www-form-urlencoded",
      ...(declareLength ? { "content-length": String(total) } : {}),
    };
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/v5/oauth/token", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, sent, body });
        req.destroy(); // as a client does once it has its answer: stop sending
      });
    });
    req.on("error", reject); // a connection reset before the answer would lose the 413: a failure

    const write = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe("request bodies are limited", () => {
  const total = 600 * 1024 * 1024;

  test.each([
    ["with a Content-Length", true],
    ["chunked, without a length", false],
  ])(
    "a 600 MB body %s gets a 413 long before it is sent, and the server holds none of it",
    async (_, declared) => {
      const before = process.memoryUsage().rss;
      const answer = await upload(total, declared);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        code: 413,
        message: "The request body is larger than 1048576 bytes (the mock's limits.bodyBytes).",
      });
      expect(answer.sent).toBeLessThan(total / 10);
      expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
    },
    60_000,
  );

  test("a body within the limit is answered as usual (100 kB of it)", async () => {
    const response = await fetch(`${server.apiBaseUrl}/oauth/token`, {
      method: "POST",
      headers: { authorization: basic() },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "pins:read", padding: "x".repeat(100_000) }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ response_type: "client_credentials", scope: "pins:read" });
  });

  test("limits.bodyBytes sets the limit", async () => {
    const small = await startMockPinterest({ port: 0, limits: { bodyBytes: 10 } });
    try {
      const response = await fetch(`${small.apiBaseUrl}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic() },
        body: new URLSearchParams({ grant_type: "client_credentials" }),
      });
      expect(response.status).toBe(413);
    } finally {
      await small.close();
    }
    await expect(startMockPinterest({ limits: { bodyBytes: 0 } })).rejects.toThrow(
      "limits.bodyBytes must be a whole number ≥ 1, got 0.",
    );
  });
});

describe("methods", () => {
  test.each([
    ["TRACE", "/v5/oauth/token", "POST"],
    ["DELETE", "/v5/oauth/token", "POST"],
    ["GET", "/v5/oauth/token/revoke", "POST"],
    ["PUT", "/v5/user_account", "GET"],
    ["HEAD", "/v5/user_account", "GET"],
    ["PATCH", "/oauth/", "GET, POST"],
    ["TRACE", "/oauth/", "GET, POST"],
  ])("%s %s answers 405 with Allow: %s", async (method, path, allow) => {
    const answer = await raw(method, path);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    if (method !== "HEAD") {
      expect(JSON.parse(answer.body)).toEqual({
        code: 405,
        message: `${method} is not allowed on ${path}: use ${allow.replace(", ", " or ")}.`,
      });
    }
  });

  test("a method on a path the mock does not serve is a 404", async () => {
    expect((await raw("TRACE", "/v5/nothing")).status).toBe(404);
    expect((await raw("DELETE", "/v4/user_account")).status).toBe(404);
  });
});

describe("paths match exactly", () => {
  test.each([
    "/V5/USER_ACCOUNT",
    "/v5/USER_ACCOUNT",
    "/v5\\user_account",
    "//v5/user_account",
    "/v5//user_account",
    "/v5/user_account/",
    "/v5/./user_account",
    "/v5/x/../user_account",
    "/v5/user%5Faccount",
    "/v5/%75ser_account",
    "/v5/%2e/user_account",
    "/%76%35/user_account",
    "/OAUTH/",
    "/oauth",
    "/oauth/?",
  ])("%s is not a route (404)", async (path) => {
    const answer = await raw("GET", path, { authorization: "Bearer pina_x" });
    if (path === "/oauth/?") {
      // An empty query is still the consent page (which then says what the request lacks).
      expect(answer.status).toBe(400);
      return;
    }
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).message).toMatch(/^The mock has no route for GET /);
  });

  test("the exact paths work", async () => {
    expect((await raw("GET", "/v5/user_account", { authorization: "Bearer pina_x" })).status).toBe(401);
    expect((await raw("GET", "/v5/user_account?ad_account_id=1", { authorization: "Bearer pina_x" })).status).toBe(401);
    expect((await raw("GET", "/oauth/")).status).toBe(400);
  });
});
