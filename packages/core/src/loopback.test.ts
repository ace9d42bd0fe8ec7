import { describe, expect, test } from "vitest";
import { isLoopback } from "./loopback.ts";

describe("isLoopback", () => {
  test.each(["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"])(
    "%s is this machine",
    (host) => expect(isLoopback(host)).toBe(true),
  );

  test.each(["0.0.0.0", "::", "192.168.1.10", "example.com", "127.0.0.1.nip.io", "::ffff:10.0.0.1", "", undefined])(
    "%s is not",
    (host) => expect(isLoopback(host)).toBe(false),
  );
});
