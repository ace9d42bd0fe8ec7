/** A settable clock for tests: `clock.now` is what the mock (and core's client) read; advance it to expire tokens. */
export function testClock(start = Date.parse("2026-03-01T12:00:00Z")) {
  const clock = {
    now: start,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  return clock;
}
