/**
 * Helpers the workspace's test suites share (private: never published). One place for each, so that the suites that
 * start servers on loopback, or move time by hand, do it the same way.
 *
 * @module
 */
import { once } from "node:events";
import { createServer } from "node:net";

/**
 * A TCP port that is free on `host` right now, found by letting the OS pick one and closing it again. Only loopback
 * hosts are accepted: tests never listen on, or send to, anything else.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * await startMockPinterest({ port });
 * ```
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
    throw new Error(`freePort: ${JSON.stringify(host)} is not a loopback host; use 127.0.0.1, localhost or ::1.`);
  }
  const server = createServer().listen(0, host);
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error(`freePort: no TCP address for ${host}`);
  return address.port;
}

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
