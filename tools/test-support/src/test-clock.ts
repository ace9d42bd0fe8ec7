/** A clock a test moves by hand: see {@link testClock}. */
export interface TestClock {
  /** The current time in epoch milliseconds; pass `() => clock.now` wherever a clock is taken. */
  now: number;
  /** Moves the clock forward (or back, with a negative number) by `ms`. */
  advance(ms: number): void;
}

/**
 * A settable clock, shared by the mock Pinterest and the code under test so that tokens expire on command.
 *
 * @example
 * ```ts
 * const clock = testClock();
 * const mock = createMockPinterest({ now: () => clock.now });
 * clock.advance(31 * 24 * 3600 * 1000); // the access token has expired
 * ```
 */
export function testClock(start = Date.parse("2026-03-01T12:00:00Z")): TestClock {
  const clock: TestClock = {
    now: start,
    advance(ms) {
      clock.now += ms;
    },
  };
  return clock;
}
