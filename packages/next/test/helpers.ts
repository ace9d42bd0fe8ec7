import {
  createMockPinterest,
  type MockPinterest,
  type MockPinterestOptions,
  mockClient,
  type RecordedCall,
} from "@pintoken/mock";
import { testClock } from "@pintoken/test-support";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createPinterestAuth, type PinterestAuth, type PinterestAuthOptions } from "../src/index.ts";

export const secret = "test-session-secret-0123456789-abcdefghij";
export const origin = "http://localhost:3000";
export const basePath = "/api/pinterest";

/** Every line the app logged. */
export function captureLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: { warn: (m: string) => lines.push(`warn: ${m}`), error: (m: string) => lines.push(`error: ${m}`) },
  };
}

/**
 * One mock Pinterest (msw, unhandled requests fail the test) for a test file, and a factory of apps that use it.
 * The mock is reset after each test.
 */
export function setupMock(options: MockPinterestOptions = {}) {
  const clock = testClock();
  const mock: MockPinterest = createMockPinterest({ now: () => clock.now, autoApprove: true, ...options });
  const server = setupServer(...mock.handlers);
  const log = captureLogger();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    mock.reset();
    log.lines.length = 0;
  });
  afterAll(() => server.close());

  function app(overrides: PinterestAuthOptions = {}): PinterestAuth {
    return createPinterestAuth({
      clientId: mockClient.clientId,
      clientSecret: mockClient.clientSecret,
      secret,
      env: {},
      clock: () => clock.now,
      logger: log.logger,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
      ...overrides,
    });
  }
  return { mock, server, clock, log, app };
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * A browser in miniature: keeps the cookies the app sets (honouring Max-Age=0 and Path), sends them back, and
 * records every response for leak checks. Requests go straight to the handler function (no network).
 */
export class Browser {
  readonly cookies = new Map<string, StoredCookie>();
  readonly responses: { status: number; headers: [string, string][]; body: string }[] = [];
  readonly handler: (request: Request) => Promise<Response>;
  readonly origin: string;

  constructor(handler: (request: Request) => Promise<Response>, appOrigin = origin) {
    this.handler = handler;
    this.origin = appOrigin;
  }

  cookieHeader(path: string): string {
    return [...this.cookies]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split("; ");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const path = attributes.find((a) => a.startsWith("Path="))?.slice(5) ?? "/";
      if (attributes.includes("Max-Age=0")) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path });
    }
  }

  request(path: string, init: RequestInit = {}): Request {
    const url = new URL(path, this.origin);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url.pathname);
    if (cookie && !headers.has("cookie")) headers.set("cookie", cookie);
    return new Request(url, { ...init, headers });
  }

  async send(request: Request): Promise<Response> {
    const response = await this.handler(request);
    const body = await response.clone().text();
    this.responses.push({ status: response.status, headers: [...response.headers], body });
    this.store(response);
    return response;
  }

  get(path: string, init: RequestInit = {}): Promise<Response> {
    return this.send(this.request(path, init));
  }

  post(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("origin")) headers.set("origin", this.origin);
    return this.send(this.request(path, { ...init, method: "POST", headers }));
  }

  /** login → Pinterest's consent (auto-approved by the mock, over msw) → callback. Returns the callback's response. */
  async signIn(query = ""): Promise<Response> {
    const login = await this.get(`${basePath}/login${query}`);
    expect(login.status).toBe(302);
    const consent = await fetch(login.headers.get("location") as string, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location") as string);
    return this.get(`${back.pathname}${back.search}`);
  }
}

/** The session of a browser, as JSON. */
export async function sessionOf(browser: Browser): Promise<Record<string, unknown>> {
  return (await browser.get(`${basePath}/session`)).json();
}

/** Asserts that none of `secrets` appears in any of `outputs`. */
export function expectNoSecrets(outputs: readonly string[], secrets: readonly (string | undefined)[]): void {
  for (const s of secrets) {
    if (!s) continue;
    for (const output of outputs)
      expect(output.includes(s), `a secret leaked into: ${output.slice(0, 200)}`).toBe(false);
  }
}

/** The tokens of a token response the mock recorded (fails the test when there is none). */
export function tokensOf(call: RecordedCall | undefined): { access_token: string; refresh_token: string } {
  const body = call?.body as { access_token?: string; refresh_token?: string } | undefined;
  if (!body?.access_token || !body.refresh_token) throw new Error("expected a recorded token response");
  return { access_token: body.access_token, refresh_token: body.refresh_token };
}
