import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createMockPinterest,
  type MockPinterest,
  type MockPinterestOptions,
  mockClient,
  type RecordedCall,
} from "@pintoken/mock";
import { testClock } from "@pintoken/test-support";
import { passthrough, http as route } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createPinterestAuth, type PinterestAuth, type PinterestAuthOptions } from "../src/index.ts";

export const secret = "test-session-secret-0123456789-abcdefghij";
export const origin = "http://localhost:3000";
export const basePath = "/api/pinterest";
/** An https origin the mock accepts redirects to (cookies there are Secure and __Host- named). */
export const httpsOrigin = "https://app.example.com";

/** A `Set-Cookie` line: its name, value, and attributes as a set (lower-cased; their order never matters). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Set<string>;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    attributes: new Set(attributes.filter(Boolean).map((attribute) => attribute.toLowerCase())),
  };
}

/** What a pintoken cookie must look like: its name, value (a pattern; `""` for a deletion) and Max-Age. */
export interface ExpectedCookie {
  name: string;
  value?: RegExp | string;
  maxAge: number;
  /** `Secure` (every origin but http on this machine). Default false. */
  secure?: boolean;
  /** Attributes beyond pintoken's own (Next's own serializer adds `expires=…`). */
  extra?: RegExp;
}

/** A JWE in compact form, as pintoken's cookies hold (or a chunk of one). */
export const sealedValue = /^[A-Za-z0-9_.-]+$/;

/**
 * Asserts the `Set-Cookie` lines, in order, as attribute sets: `Path=/`, `Max-Age`, `HttpOnly`, `SameSite=Lax`, and
 * `Secure` where expected; nothing else.
 */
export function expectCookies(lines: readonly string[], expected: readonly ExpectedCookie[]): void {
  expect(lines.map(parseSetCookie).map((cookie) => cookie.name)).toEqual(expected.map((cookie) => cookie.name));
  lines.forEach((line, i) => {
    const want = expected[i] as ExpectedCookie;
    const cookie = parseSetCookie(line);
    const value = want.value ?? (want.maxAge === 0 ? "" : sealedValue);
    if (typeof value === "string") expect(cookie.value, cookie.name).toBe(value);
    else expect(cookie.value, cookie.name).toMatch(value);
    const attributes = [...cookie.attributes].filter((attribute) => !want.extra?.test(attribute));
    const base = ["path=/", `max-age=${want.maxAge}`, "httponly", "samesite=lax"];
    expect(new Set(attributes), cookie.name).toEqual(new Set(want.secure ? [...base, "secure"] : base));
  });
}

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
  const client = { ...mockClient, redirectUris: [...mockClient.redirectUris, `${httpsOrigin}${basePath}/callback`] };
  const mock: MockPinterest = createMockPinterest({
    now: () => clock.now,
    autoApprove: true,
    clients: [client],
    ...options,
  });
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
      const { name, value, attributes } = parseSetCookie(line);
      const path = [...attributes].find((a) => a.startsWith("path="))?.slice(5) ?? "/";
      if (attributes.has("max-age=0")) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
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

/**
 * Serves `handler` over real HTTP on a loopback port (Node's `http` server, with its default header size limit), for
 * what only a real server shows: cookie headers of a chunked session, several `Set-Cookie` lines. Requests to it
 * pass msw by. Resolves to its origin and a function that stops it.
 */
export async function serveOverHttp(
  handler: (request: Request) => Promise<Response>,
  server: ReturnType<typeof setupServer>,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const node: Server = createServer(async (incoming, outgoing) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const method = incoming.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? null : Buffer.concat(chunks);
    const response = await handler(
      new Request(`http://${incoming.headers.host}${incoming.url}`, { method, headers, body }),
    );
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    outgoing.writeHead(response.status, out);
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
  server.use(route.all(`${origin}/*`, () => passthrough()));
  return { origin, close: () => new Promise((resolve) => node.close(() => resolve())) };
}
