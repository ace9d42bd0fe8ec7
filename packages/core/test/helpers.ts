import type { TokenSet } from "../src/token-set.ts";

/** One request the fake Pinterest received, with its form body parsed. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  form: Record<string, string>;
  text: string;
  /** When fetch was called (`Date.now()`, so the fake clock's time under fake timers). */
  at: number;
}

export type FakeHandler = (request: SeenRequest, signal: AbortSignal) => Response | Promise<Response>;

/**
 * An injectable `fetch` that records each request and answers with `handler` (or the next handler of a queue).
 * A handler that throws makes fetch reject, like a network failure.
 */
export function fakeFetch(...handlers: FakeHandler[]) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const at = Date.now();
    const request = new Request(input, init);
    const text = await request.text();
    const form = Object.fromEntries(new URLSearchParams(text));
    const entry = { method: request.method, url: new URL(request.url), headers: request.headers, form, text, at };
    seen.push(entry);
    const handler = handlers[Math.min(seen.length - 1, handlers.length - 1)];
    if (!handler) throw new Error("fakeFetch has no handler");
    return handler(entry, request.signal);
  };
  return Object.assign(fetch as typeof globalThis.fetch, { seen });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

let serial = 0;

/** The fields a token response body may have (the tests also put wrong types in them). */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  response_type?: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  refresh_token_expires_at?: number;
  [field: string]: unknown;
}

/** A spec-valid token response body for a grant; `refresh` bodies rotate the refresh token. */
export function tokenBody(
  kind: "authorization_code" | "refresh_token" | "client_credentials" | "integration_refresh",
  overrides: Record<string, unknown> = {},
): TokenBody {
  serial++;
  const base = {
    access_token: `pina_access_${serial}_${"x".repeat(40)}`,
    token_type: "bearer",
    expires_in: 2592000,
    scope: "user_accounts:read,pins:read",
    response_type: kind,
  };
  const refresh = {
    refresh_token: `pinr_refresh_${serial}_${"y".repeat(40)}`,
    refresh_token_expires_in: 5184000,
    refresh_token_expires_at: 1_800_000_000,
  };
  if (kind === "client_credentials") return { ...base, ...overrides };
  if (kind === "integration_refresh")
    return { ...base, refresh_token: refresh.refresh_token, refresh_token_expires_in: 5184000, ...overrides };
  return { ...base, ...refresh, ...overrides };
}

/** A never-settling response that rejects when the request is aborted (like a real fetch). */
export function hang(signal: AbortSignal): Promise<Response> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason ?? new DOMException("aborted", "AbortError")), {
      once: true,
    });
  });
}

export const credentials = { clientId: "1484362", clientSecret: "s3cr3t-client-secret-value" } as const;

export function basicFor(clientId: string, clientSecret: string): string {
  return `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
}

/** A token set expiring `inMs` from `now`. */
export function tokenSet(now: number, inMs: number, overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: `pina_stored_${inMs}`,
    tokenType: "bearer",
    scopes: ["user_accounts:read"],
    expiresAt: now + inMs,
    refreshToken: "pinr_stored_refresh",
    refreshTokenExpiresAt: now + 60 * 86_400_000,
    responseType: "authorization_code",
    ...overrides,
  };
}

/** What Node's `fetch` throws when the connection was refused (nothing was sent). */
export function refusedConnection(): TypeError {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" });
  return new TypeError("fetch failed", { cause });
}
