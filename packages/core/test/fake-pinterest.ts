/**
 * A Pinterest token endpoint in a `fetch`, for keep-alive's tests: refresh tokens rotate (the used one dies), each
 * new one lives 60 days on the test's clock, and faults can be queued. Only `grant_type=refresh_token` is served.
 */
const day = 86_400_000;

export interface FakePinterest {
  fetch: typeof fetch;
  /** Refresh tokens that were sent, in order (a dead one included). */
  readonly refreshes: string[];
  /** Issues a live refresh token (as a sign-in would). */
  issue(): string;
  /** Whether a refresh token works now. */
  isLive(refreshToken: string | undefined): boolean;
  /** Kills a refresh token (the user removed the app). */
  revoke(refreshToken: string): void;
  /** The next answers, in order, are these statuses (429 with `Retry-After: retryAfter` seconds). */
  fail(...faults: { status: number; retryAfter?: number }[]): void;
  /** The most refreshes that were in flight at once. */
  readonly maxInFlight: number;
}

export function fakePinterest(now: () => number, delayMs = 5): FakePinterest {
  const live = new Set<string>();
  const refreshes: string[] = [];
  const faults: { status: number; retryAfter?: number }[] = [];
  let serial = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
  const issue = () => {
    const token = `pinr_fake_${++serial}`;
    live.add(token);
    return token;
  };
  return {
    refreshes,
    issue,
    isLive: (token) => token !== undefined && live.has(token),
    revoke: (token) => void live.delete(token),
    fail: (...more) => void faults.push(...more),
    get maxInFlight() {
      return maxInFlight;
    },
    async fetch(_url, init) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const form = new URLSearchParams(String(init?.body));
        const token = form.get("refresh_token") ?? "";
        refreshes.push(token);
        const fault = faults.shift();
        if (fault?.status === 429)
          return reply(429, { code: 8, message: "rate limited" }, { "retry-after": String(fault.retryAfter ?? 1) });
        if (fault) return reply(fault.status, { code: fault.status, message: "Internal server error" });
        if (!live.delete(token)) return reply(401, { code: 283, message: "The authorization grant is invalid" });
        const next = issue();
        return reply(200, {
          access_token: `pina_fake_${serial}`,
          token_type: "bearer",
          expires_in: 30 * 86_400,
          scope: "user_accounts:read",
          response_type: "refresh_token",
          refresh_token: next,
          refresh_token_expires_in: 60 * 86_400,
          refresh_token_expires_at: Math.floor((now() + 60 * day) / 1000),
        });
      } finally {
        inFlight--;
      }
    },
  };
}
