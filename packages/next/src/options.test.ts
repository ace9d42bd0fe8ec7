import { ConfigurationError } from "@pintoken/core";
import { mockClient } from "@pintoken/mock";
import { describe, expect, test, vi } from "vitest";
import { Browser, basePath, secret, setupMock } from "../test/helpers.ts";
import { createPinterestAuth } from "./index.ts";

// The helpers first await connection(), which needs a request scope only a running Next.js server has: here it is
// a request that goes on at once (the rest of next/server is real).
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => {},
}));

const { mock } = setupMock({
  apiBaseUrl: "http://127.0.0.1:4010/v5",
  authorizationEndpoint: "http://127.0.0.1:4010/oauth/",
});

const env = {
  PINTEREST_CLIENT_ID: mockClient.clientId,
  PINTEREST_CLIENT_SECRET: mockClient.clientSecret,
  PINTOKEN_SECRET: secret,
};

function configurationError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigurationError");
}

describe("configuration from the environment", () => {
  test("every variable is read when the option is not passed", async () => {
    const pinterest = createPinterestAuth({
      env: {
        ...env,
        PINTEREST_API_BASE_URL: mock.apiBaseUrl,
        PINTEREST_AUTHORIZATION_URL: mock.authorizationEndpoint,
        PINTEREST_REDIRECT_URI: mockClient.redirectUris[1],
        PINTEREST_SCOPES: "pins:read, boards:read",
        PINTEREST_CONTINUOUS_REFRESH: "true",
      },
    });
    expect(pinterest.mode).toBe("cookie");
    const browser = new Browser(pinterest.handler);
    const login = new URL((await browser.get(`${basePath}/login`)).headers.get("location") as string);
    expect(`${login.origin}${login.pathname}`).toBe(mock.authorizationEndpoint);
    expect(login.searchParams.get("redirect_uri")).toBe(mockClient.redirectUris[1]);
    expect(login.searchParams.get("scope")).toBe("pins:read,boards:read");
    const consent = await fetch(login, { redirect: "manual" });
    const back = new URL(consent.headers.get("location") as string);
    await browser.get(`${back.pathname}${back.search}`);
    const [exchange] = mock.calls.for("oauth/token");
    expect(exchange?.url.startsWith(mock.apiBaseUrl)).toBe(true);
    expect(exchange?.form).toMatchObject({ continuous_refresh: "true", redirect_uri: mockClient.redirectUris[1] });
  });

  test("options win over the environment", () => {
    const pinterest = createPinterestAuth({
      env,
      basePath: "/auth",
      store: { get: vi.fn(), set: vi.fn(), delete: vi.fn() },
    });
    expect(pinterest.basePath).toBe("/auth");
    expect(pinterest.mode).toBe("store");
  });
});

describe("a configuration that would fail later fails at startup, saying how to fix it", () => {
  test("no secret", () => {
    const message = configurationError(() => createPinterestAuth({ env: { ...env, PINTOKEN_SECRET: undefined } }));
    expect(message).toMatch(/^secret is missing: set PINTOKEN_SECRET/);
    expect(message).toContain("openssl rand -base64 32");
  });

  test("a short secret, or a short one in a rotation list", () => {
    const message = configurationError(() => createPinterestAuth({ env, secret: "too-short" }));
    expect(message).toMatch(/^secret is too short \(9 characters\)/);
    expect(message).toContain("openssl rand -base64 32");
    expect(
      configurationError(() => createPinterestAuth({ env: { ...env, PINTOKEN_SECRET: `${secret},short` } })),
    ).toMatch(/^secret #2 is too short \(5 characters\)/);
  });

  test.each([
    ["one character repeated", "a".repeat(32)],
    ["a word repeated", "password".repeat(4)],
    ["a sequence", "abcdefghijklmnopqrstuvwxyz012345"],
    ["hex digits in order, twice", "0123456789abcdef".repeat(2)],
  ])("a guessable secret (%s) is refused, with how to make one", (_kind, guessable) => {
    const message = configurationError(() => createPinterestAuth({ env, secret: guessable }));
    expect(message).toMatch(/^secret looks guessable/);
    expect(message).toContain("openssl rand -base64 32");
    const rotation = configurationError(() => createPinterestAuth({ env, secret: [secret, guessable] }));
    expect(rotation).toMatch(/^secret #2 looks guessable/);
  });

  test("random secrets in any common form are accepted", () => {
    for (let i = 0; i < 200; i++) {
      for (const encoding of ["base64", "base64url", "hex"] as const) {
        const bytes = encoding === "hex" ? 16 : 32; // `openssl rand -hex 16` is the shortest common form
        const random = Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString(encoding);
        expect(() => createPinterestAuth({ env, secret: random })).not.toThrow();
      }
    }
  });

  test("the client secret reused as the session secret", () => {
    const clientSecret = "x".repeat(40);
    expect(configurationError(() => createPinterestAuth({ env, clientSecret, secret: clientSecret }))).toMatch(
      /^secret must not be the Pinterest client secret/,
    );
  });

  test("no client id or client secret", () => {
    expect(configurationError(() => createPinterestAuth({ env: { ...env, PINTEREST_CLIENT_ID: "" } }))).toMatch(
      /^clientId is missing: .*PINTEREST_CLIENT_ID/,
    );
    expect(
      configurationError(() => createPinterestAuth({ env: { ...env, PINTEREST_CLIENT_SECRET: undefined } })),
    ).toMatch(/^clientSecret is missing: .*PINTEREST_CLIENT_SECRET/);
  });

  test.each([
    [{ scopes: ["pins:everything"] }, /^scopes has unknown scopes pins:everything\. Known: /],
    [{ basePath: "api" }, /^basePath must be a path such as "\/api\/pinterest", got "api"\.$/],
    [{ redirectUri: "/callback" }, /^redirectUri must be an absolute http\(s\) URL, got "\/callback"\.$/],
    [{ allowedOrigins: ["example.com"] }, /^allowedOrigins must be an absolute http\(s\) URL/],
    [{ cookieName: "my cookie" }, /^cookieName must be 1-32 letters/],
    [{ cookieName: "__Host-pintoken" }, /^cookieName cannot start with "__Host-" or "__Secure-"/],
    [{ sessionMaxAgeSeconds: 10 }, /^sessionMaxAgeSeconds must be at least 60\.$/],
    [
      { refreshWindowMs: 600_000, proxyRefreshWindowMs: 60_000 },
      /^proxyRefreshWindowMs must be at least refreshWindowMs/,
    ],
    [{ baseUrl: "not a url" }, /^baseUrl must be an absolute/],
  ])("%j", (options, message) => {
    expect(configurationError(() => createPinterestAuth({ env, ...(options as object) }))).toMatch(message);
  });
});

describe("during next build", () => {
  test("a missing secret is reported as a warning, and every use of the instance fails with the error", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const pinterest = createPinterestAuth({ env: { NEXT_PHASE: "phase-production-build" } });
    expect(warn).toHaveBeenCalledWith(
      "pintoken: clientId is missing: pass clientId to createPinterestAuth() or set PINTEREST_CLIENT_ID (your app ID). (ignored during next build; the server will refuse to start without it)",
    );
    warn.mockRestore();
    await expect(pinterest.handler(new Request("http://localhost:3000/api/pinterest/session"))).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(pinterest.getSession()).rejects.toThrow("clientId is missing");
    await expect(pinterest.api().GET("/user_account")).rejects.toBeInstanceOf(ConfigurationError);
  });

  test("each warning is printed once per process, however many copies of the module create an instance", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const build = { env: { NEXT_PHASE: "phase-production-build", PINTEREST_CLIENT_ID: "1500001" } };
      createPinterestAuth(build);
      createPinterestAuth(build);
      // Next.js loads lib/pinterest.ts (and so this package) once per bundle: a fresh copy of the module.
      vi.resetModules();
      const copy = await import("./create-pinterest-auth.ts");
      expect(copy.createPinterestAuth).not.toBe(createPinterestAuth);
      copy.createPinterestAuth(build);
      expect(warn.mock.calls).toEqual([
        [
          "pintoken: clientSecret is missing: pass clientSecret to createPinterestAuth() or set PINTEREST_CLIENT_SECRET (your app secret). (ignored during next build; the server will refuse to start without it)",
        ],
      ]);
      // Another problem is still reported.
      copy.createPinterestAuth({ env: { ...build.env, PINTEREST_CLIENT_SECRET: "x".repeat(40) } });
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[1]?.[0]).toMatch(/^pintoken: secret is missing/);
    } finally {
      warn.mockRestore();
    }
  });
});
