import { shown } from "./check.ts";

/**
 * The mock's clock: the `now` option (default `Date.now`) plus an offset that tests move with `set` and `advance`,
 * in-process or through the control API. Token expiry and the recorder read it.
 *
 * @example
 * ```ts
 * const mock = createMockPinterest();
 * const { access_token } = mock.issueTokens({ scopes: ["user_accounts:read"] });
 * mock.clock.advance(defaultTtlSeconds.accessToken * 1000); // the access token has expired
 * mock.clock.set(Date.parse("2030-01-01T00:00:00Z"));       // or jump to a date; time keeps running from there
 * ```
 */
export interface MockClock {
  /** The current time on the mock's clock, in epoch milliseconds. */
  now(): number;
  /** Moves the clock to `epochMs`; it keeps running from there. */
  set(epochMs: number): void;
  /** Moves the clock by `ms` (negative goes back). */
  advance(ms: number): void;
  /** How far the clock is from the `now` option's time, in milliseconds (0 until `set`, `advance` or after `mock.reset()`). */
  readonly offsetMs: number;
}

function checkFinite(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of milliseconds, got ${shown(value)}.`);
  }
  return value;
}

/** A clock over `source`, with an offset that `reset` sets back to 0. */
export function createClock(source: () => number): MockClock & { reset(): void } {
  let offset = 0;
  return {
    now: () => source() + offset,
    set(epochMs) {
      offset = checkFinite("clock.set(epochMs)", epochMs) - source();
    },
    advance(ms) {
      offset += checkFinite("clock.advance(ms)", ms);
    },
    get offsetMs() {
      return offset;
    },
    reset() {
      offset = 0;
    },
  };
}
