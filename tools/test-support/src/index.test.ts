import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, testClock } from "./index.ts";

describe("freePort", () => {
  it("gives a port a server can listen on right away", async () => {
    const port = await freePort();
    const server = createServer().listen(port, "127.0.0.1");
    await new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));
    expect(server.address()).toMatchObject({ port });
    await new Promise((resolve) => server.close(resolve));
  });

  it("gives different ports to callers in a row", async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    expect(ports.every((port) => port > 0 && port < 65_536)).toBe(true);
  });

  it("refuses a host that is not loopback, saying which hosts it takes", async () => {
    await expect(freePort("0.0.0.0")).rejects.toThrow(/"0\.0\.0\.0" is not a loopback host; use 127\.0\.0\.1/);
  });
});

describe("testClock", () => {
  it("starts where it is told and moves only when advanced", () => {
    const clock = testClock(1_000);
    expect(clock.now).toBe(1_000);
    clock.advance(500);
    clock.advance(-200);
    expect(clock.now).toBe(1_300);
  });

  it("starts at a fixed instant by default, so runs repeat", () => {
    expect(testClock().now).toBe(testClock().now);
  });
});
